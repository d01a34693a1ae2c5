"""Hostile spreadsheets against the import's limits (issue 17): time and peak memory, each in a process
of its own, so the figure is the whole importing process's high-water resident set (VmHWM; see measure_import).

    python -m bench.import_limits

1. Recreates the PostgreSQL bench database and makes one session.
2. Writes the probe's files (belemmeringen/tests/hostile_files.py): 1,000,000 rows as CSV (8 MB) and as
   XLSX (5 MB, 68 MB unpacked), plus a realistic XLSX at the row limit (20,000 rows).
3. Runs `belemmeringen.tests.measure_import FILE --sessie SLUG --dry-run` for each (the service call the
   command line makes); the million-row XLSX also once with IMPORT_MAX_SHEET_BYTES raised, so that the
   row limit, not the size limit, stops it while streaming.
Targets: every hostile file refused within 10 s, every run under 300 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

os.environ.setdefault("BENCH_DB", "cp_bench_import_limits")

from bench.common import PYTHON, REPO, Result, bench_env, cli, fresh_database, use_bench_env

BENCH = "import_limits"
PEAK_MB = 300
REFUSE_SECONDS = 10


def _measure(path: Path, slug: str, **env: str) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "belemmeringen.tests.measure_import", str(path), "--sessie", slug, "--dry-run"],
        cwd=REPO,
        env=bench_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[Result]:
    fresh_database(os.environ["BENCH_DB"])
    use_bench_env()
    from datetime import timedelta

    from django.utils import timezone

    from belemmeringen.tests.hostile_files import million_row_csv, million_row_xlsx
    from bench.import_belemmeringen import make_xlsx
    from regiosessies.models import Regio, Regiosessie

    start = timezone.now() + timedelta(days=30)
    # Titled as bench.import_belemmeringen.make_xlsx names the session in its Regiosessie column.
    session = Regiosessie.objects.create(
        regio=Regio.objects.create(name="Grenzen", slug="grenzen"),
        title="Regiosessie Benchmark",
        slug="grenzen",
        start=start,
        end=start + timedelta(hours=3),
        venue_name="Loopback",
        address="127.0.0.1",
        city="Localhost",
        capacity=10,
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-import-limits-"))
    legit = folder / "20000.xlsx"
    legit.write_bytes(make_xlsx(20000))
    cases = [
        ("1,000,000-row CSV (8 MB)", million_row_csv(folder / "miljoen.csv"), {}, True),
        ("1,000,000-row XLSX (5 MB, 68 MB unpacked)", million_row_xlsx(folder / "miljoen.xlsx"), {}, True),
        (
            "the same XLSX, size limit raised to 200 MB",
            folder / "miljoen.xlsx",
            {"IMPORT_MAX_SHEET_BYTES": str(200 * 2**20)},
            True,
        ),
        ("20,000-row XLSX at the limit (dry run)", legit, {}, False),
    ]
    results = []
    for name, path, env, hostile in cases:
        figures = _measure(path, session.slug, **env)
        refused = bool(figures["errors"])
        note = (figures["errors"][0][:90] + "…") if refused else f"{figures['new']} new"
        if hostile:
            results.append(
                Result(
                    BENCH,
                    f"{name}: refused after",
                    figures["seconds"],
                    "s",
                    target=f"< {REFUSE_SECONDS} s",
                    ok=refused and figures["seconds"] < REFUSE_SECONDS,
                    note=note,
                )
            )
        else:
            results.append(Result(BENCH, f"{name}", figures["seconds"], "s", note=note))
        results.append(
            Result(
                BENCH,
                f"{name}: peak memory",
                figures["peak_mb"],
                "MB",
                target=f"< {PEAK_MB} MB",
                ok=figures["peak_mb"] < PEAK_MB,
            )
        )
    return results


if __name__ == "__main__":
    cli(run)
