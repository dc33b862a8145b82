"""Benchmark: several sites into one PostgreSQL ledger. The same weekly reports taken by three
`pmo watch --once` processes (a third of the files on each site's share, at once) into one
PostgreSQL ledger, beside one `pmo watch --once` taking them all into SQLite — files per second
from start to the last file filed, start-up included, in the same run.

    PMO_BENCH_POSTGRES=postgresql+psycopg://user:pw@127.0.0.1/db \\
        python benchmarks/bench_sites.py [-n 300] [--out DIR]

The database named is emptied. Without PMO_BENCH_POSTGRES, PMO_TEST_POSTGRES is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import corpus_folder, initiations, make_corpus

from pmokit.base.resources import forms_dir
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger

ENV = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
SITES = ("北京", "上海", "深圳")


def site_folder(root: Path, name: str, ledger: str) -> Path:
    home = root / name
    (home / "share" / "inbox").mkdir(parents=True)
    site = f'site = "{name}"\n' if name in SITES else ""
    (home / "pmo.toml").write_text(f'{site}ledger = "{ledger}"\n', encoding="utf-8")
    return home


def pmo(home: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pmokit", *args]
    return subprocess.Popen(command, cwd=home, env=ENV, stdout=subprocess.DEVNULL)


def watch_all(homes: list[Path], files: list[list[Path]]) -> float:
    """Seconds for a `pmo watch --once` per home to file its files (all started at once)."""
    for home, mine in zip(homes, files, strict=True):
        for path in mine:
            shutil.copy(path, home / "share" / "inbox" / path.name)
    start = time.perf_counter()
    running = [pmo(home, "watch", "share", "--once", "--settle", "0.2") for home in homes]
    if any(proc.wait() != 0 for proc in running):
        raise SystemExit("a watcher failed")
    took = time.perf_counter() - start
    left = [p for home in homes for p in (home / "share" / "inbox").iterdir()]
    if left:
        raise SystemExit(f"{len(left)} files left in the inboxes")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="filled weekly reports")
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: temp)")
    args = parser.parse_args()
    url = os.environ.get("PMO_BENCH_POSTGRES") or os.environ.get("PMO_TEST_POSTGRES")
    if not url:
        raise SystemExit("set PMO_BENCH_POSTGRES to a PostgreSQL URL (its database is emptied)")
    forms = load_forms(forms_dir())
    corpus = corpus_folder(args.out)
    paths = make_corpus(forms, corpus, args.n)
    inits = initiations(forms, corpus / "initiations", args.n)
    root = Path(tempfile.mkdtemp(prefix="pmo-sites-"))
    Ledger(url, forms, rebuild=True).close()

    one = site_folder(root, "one", str(root / "one.sqlite"))
    sites = [site_folder(root, name, url) for name in SITES]
    # the projects registered first, each way, so the reports can be accepted
    watch_all([one], [inits])
    watch_all(sites, [inits, [], []])
    sqlite_s = watch_all([one], [paths])
    postgres_s = watch_all(sites, [paths[i :: len(SITES)] for i in range(len(SITES))])
    n = len(paths)
    print(f"{n} weekly reports, start-up included")
    print(f"  one watcher into SQLite:         {n / sqlite_s:7.1f} files/s  ({sqlite_s:.1f} s)")
    print(
        f"  three watchers into PostgreSQL:  {n / postgres_s:7.1f} files/s  ({postgres_s:.1f} s)"
        f"  {sqlite_s / postgres_s:.2f}× the one"
    )


if __name__ == "__main__":
    main()
