"""Layer 6, rollup: the portfolio roll-up computed from the ledger — facts (read once) ->
snapshots (the ledger as it stood at a moment) -> project rows, KPIs and registers ->
report.build_rollup() (plain data that generators/rollup.py writes). May import alerts and
everything below; knows nothing of XlsxWriter."""
