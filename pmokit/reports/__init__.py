"""Layer 7, reports (to come, with issue 15): the Word documents' content as pure data — the
结项总结报告 of a closing project, the weekly 综合信息简报 — built from the ledger and the
roll-up. May import rollup, alerts and everything below; knows nothing of docxtpl or
python-docx (generators write them)."""
