"""Run by the system Python that has LibreOffice's `uno` (python3-uno), not by pytest: open each
workbook given in a headless LibreOffice and print, as JSON, what LibreOffice sees of its
macros — the Basic modules of its VBA project and each form button's label and bound script.

    /usr/bin/python3 tests/lo_buttons.py SOFFICE PROFILE_URL FILE...
"""

import contextlib
import json
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def connect(soffice: str, profile: str):
    pipe = f"pmo{uuid.uuid4().hex[:8]}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return office, context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except Exception:
            time.sleep(0.5)
    office.kill()
    raise SystemExit("LibreOffice did not answer")


def hidden():
    value = PropertyValue()
    value.Name, value.Value = "Hidden", True
    return (value,)


def inspect(desktop, path: str) -> dict:
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, hidden())
    try:
        libraries = document.BasicLibraries
        modules = {}
        for name in libraries.getElementNames():
            libraries.loadLibrary(name)
            modules[name] = sorted(libraries.getByName(name).getElementNames())
        buttons = []
        for sheet in document.Sheets:
            forms = sheet.DrawPage.Forms
            for i in range(forms.getCount()):
                form = forms.getByIndex(i)
                for j in range(form.getCount()):
                    events = form.getScriptEvents(j)
                    buttons.append(
                        {
                            "sheet": sheet.Name,
                            "label": form.getByIndex(j).Label,
                            "scripts": [e.ScriptCode for e in events],
                        }
                    )
        return {"modules": modules, "buttons": buttons}
    finally:
        document.close(True)


def main() -> None:
    soffice, profile, *paths = sys.argv[1:]
    office, desktop = connect(soffice, profile)
    try:
        print(json.dumps({path: inspect(desktop, path) for path in paths}, ensure_ascii=False))
    finally:
        with contextlib.suppress(Exception):  # it may already be gone
            desktop.terminate()
        office.wait(timeout=60)


if __name__ == "__main__":
    main()
