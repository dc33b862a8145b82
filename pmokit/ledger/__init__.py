"""Layer 4, ledger: every submission recorded, the project register, its lifecycle moves and
baselines (SQLAlchemy Core; SQLite by default, PostgreSQL by URL). Takes checked submissions;
may import validation, forms, base and utils."""
