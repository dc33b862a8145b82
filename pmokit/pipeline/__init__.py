"""Layer 9, pipeline: intake(), the one pipeline every submission goes through — check ->
archive -> record -> index (intake.py, archive.py) — and, on the share, filing the original
away (share.file_away: feedback, then the move, then marked filed). Takes an arrival's bytes;
may import every core stage below it, never a writer or a watcher (a feedback writer is passed
in as a function)."""
