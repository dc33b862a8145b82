"""The portfolio roll-up, computed from the ledger: facts (read once) -> snapshots (the ledger as
it stood at a moment) -> project rows, KPIs and registers -> report.build_rollup() (plain data
that generators/rollup.py writes)."""
