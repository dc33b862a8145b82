"""pmokit's version: stamped into each generated workbook's metadata, shown by `pmo --version`."""

__version__ = "0.1.0"
