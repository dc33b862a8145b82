"""Benchmark: the service as a user meets it. (1) `pmo ingest DIR` on filled weekly reports, as a
process, beside a bare pandas.read_excel loop over the same files; (2) a running `pmo watch`:
the latency from a file's appearance in the inbox to its logged outcome, median and p95.

    python benchmarks/bench_watch.py [-n 1000] [--drops 200] [--settle 1.0] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_validate import pandas_all
from corpus import corpus_folder, initiations, make_corpus

from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms

ENV = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}


def pmo(home: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pmokit", *args]
    return subprocess.run(command, cwd=home, env=ENV, capture_output=True, text=True)


def ingest_throughput(corpus: Path, inits: Path, count: int) -> tuple[float, float]:
    """Files per second of `pmo ingest` (a process, start-up included) and of bare pandas."""
    home = Path(tempfile.mkdtemp(prefix="pmo-ingest-"))
    pmo(home, "ingest", str(inits))
    start = time.perf_counter()
    done = pmo(home, "ingest", str(corpus))
    ingest_s = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    paths = sorted(corpus.glob("weekly-*.xlsx"))
    start = time.perf_counter()
    pandas_all(paths, None, Settings())
    return count / ingest_s, count / (time.perf_counter() - start)


def drop_latency(corpus: Path, inits: Path, drops: int, settle: float, gap: float) -> list[float]:
    """Seconds from each file's atomic appearance in the inbox to the watcher's line about it."""
    home = Path(tempfile.mkdtemp(prefix="pmo-watch-"))
    share, staging = home / "share", home / "staging"
    (share / "inbox").mkdir(parents=True)
    staging.mkdir()
    pmo(home, "ingest", str(inits))
    command = [sys.executable, "-m", "pmokit", "watch", str(share), "--settle", str(settle)]
    service = subprocess.Popen(command, cwd=home, env=ENV, stdout=subprocess.PIPE, text=True)
    done: dict[str, float] = {}
    ready = threading.Event()

    def read_log() -> None:
        for line in service.stdout:  # type: ignore[union-attr]
            entry = json.loads(line)
            ready.set()
            if "file" in entry:
                done[entry["file"]] = dt.datetime.fromisoformat(entry["at"]).timestamp()

    threading.Thread(target=read_log, daemon=True).start()
    ready.wait(60)
    dropped = {}
    for path in sorted(corpus.glob("weekly-*.xlsx"))[:drops]:
        shutil.copy(path, staging / path.name)
        os.replace(staging / path.name, share / "inbox" / path.name)  # appears whole, at once
        dropped[path.name] = time.time()
        time.sleep(gap)
    deadline = time.monotonic() + 600
    while len(done) < drops and time.monotonic() < deadline:
        time.sleep(0.2)
    service.terminate()
    service.wait(30)
    return [done[name] - at for name, at in dropped.items() if name in done]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="weekly reports for pmo ingest")
    parser.add_argument("--drops", type=int, default=200, help="files dropped on the watcher")
    parser.add_argument("--settle", type=float, default=1.0, help="the watcher's --settle")
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between drops")
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: temp)")
    args = parser.parse_args()
    forms = load_forms(forms_dir())
    corpus = corpus_folder(args.out)
    make_corpus(forms, corpus, args.n)
    inits = initiations(forms, corpus / "initiations", args.n)[0].parent

    ingest_rate, pandas_rate = ingest_throughput(corpus, inits, args.n)
    print(f"`pmo ingest` of {args.n} weekly reports (one process, start-up included)")
    print(f"  {'pmo ingest':<40} {ingest_rate:>7.0f} files/s")
    print(f"  {'bare pandas.read_excel loop':<40} {pandas_rate:>7.0f} files/s")
    print(f"  ratio pandas/pmo: {pandas_rate / ingest_rate:.2f}")

    latency = sorted(drop_latency(corpus, inits, args.drops, args.settle, args.gap))
    p95 = latency[max(0, int(len(latency) * 0.95) - 1)]
    print(f"\n`pmo watch`: {len(latency)}/{args.drops} files, one every {args.gap:g} s, settle")
    print(f"{args.settle:g} s; drop -> outcome logged")
    print(
        f"  median {statistics.median(latency):.2f} s   p95 {p95:.2f} s   max {latency[-1]:.2f} s"
    )
    print(f"  (the floor is the settle time: a file is read once unchanged for {args.settle:g} s)")
    print(f"\nmeasured {dt.date.today()}")


if __name__ == "__main__":
    main()
