"""pmokit: the PMO's standard forms, validated intake, ledger, alerts and roll-ups, from one form
schema. The public facade, so a script needs one import line:

    from pmokit import load_settings, load_forms, validate_workbook, intake, Ledger

    settings = load_settings()
    forms = load_forms(settings.spec_folder())
    report = validate_workbook(Path("weekly.xlsx"), forms, settings)

The packages below are the pipeline's stages (utils, base, forms, validation, ledger, alerts,
rollup, reports, mail, pipeline), then actions (the wiring the CLI, the demo and the buttons
share) and the entry points (cli); README.md "Development" is their map.
"""

from __future__ import annotations

import importlib
from typing import Any

from pmokit.base.version import __version__

# Where each public name lives. Loaded on first use, so importing one stage (a worker process
# that only validates, a generator) does not pay for all of them (0.4 s for the whole core).
PUBLIC = {
    "Alert": "pmokit.alerts.rules",
    "open_alerts": "pmokit.alerts.rules",
    "PmoError": "pmokit.base.errors",
    "Issue": "pmokit.base.issues",
    "Report": "pmokit.base.issues",
    "Label": "pmokit.base.labels",
    "Settings": "pmokit.base.settings",
    "load_settings": "pmokit.base.settings",
    "load_forms": "pmokit.forms.load",
    "Record": "pmokit.forms.record",
    "Arrival": "pmokit.pipeline.archive",
    "intake": "pmokit.pipeline.intake",
    "rebuild_ledger": "pmokit.pipeline.rebuild",
    "void": "pmokit.pipeline.intake",
    "frames": "pmokit.actions.exporting",
    "export_tables": "pmokit.actions.exporting",
    "Ledger": "pmokit.ledger.store",
    "IntakeResult": "pmokit.ledger.submissions",
    "build_rollup": "pmokit.rollup.report",
    "check_workbook": "pmokit.validation.validate",
    "validate_workbook": "pmokit.validation.validate",
}
__all__ = ["__version__", *PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in PUBLIC:
        raise AttributeError(f"module 'pmokit' has no attribute {name!r}")
    value = getattr(importlib.import_module(PUBLIC[name]), name)
    globals()[name] = value
    return value
