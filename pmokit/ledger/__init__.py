"""The ledger: every submission recorded, the project register and its lifecycle (SQLAlchemy Core;
SQLite by default, PostgreSQL by URL)."""
