"""pmokit: the PMO's standard forms, validated intake, ledger and roll-ups, from one form schema."""

__version__ = "0.1.0"
