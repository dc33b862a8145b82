"""Layer 5, alerts: the rules over time (R2, R6, R7, R9, R10-R12, R14, R16, R18, R22) — what the
ledger says at a moment (inputs), and the alerts open then (rules). Takes a ledger and a moment;
may import the ledger and everything below it."""
