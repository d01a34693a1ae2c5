"""Importing obstacles from a spreadsheet: 10,000 rows from XLSX, target under 30 s.

    python -m bench.import_belemmeringen

1. Recreates the PostgreSQL bench database (migrate: themes and groups are seeded).
2. Writes a realistic 10,000-row XLSX (BENCH_IMPORT_ROWS): every theme, sub-topic, level and
   dimension, Dutch texts with diacritics, needs from a pool of 40 titles of which 10 are new.
3. Times the whole service call the command line uses (read the file, validate every row, save in
   one transaction): first a dry run, then the admin's preview (which also builds its before/after
   table), then the real import.
4. Checks the database holds exactly the rows of the file.
"""

from __future__ import annotations

import io
import os
import time

os.environ.setdefault("BENCH_DB", "cp_bench_belemmeringen")

from bench.common import Result, cli, fresh_database, use_bench_env

BENCH = "import_belemmeringen"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
TARGET_SECONDS = 30.0


def make_xlsx(rows: int) -> bytes:
    import random

    from openpyxl import Workbook

    from belemmeringen.models import Subthema
    from belemmeringen.resources import COLUMNS

    rng = random.Random(4)
    subs = list(Subthema.objects.select_related("thema"))
    needs = [f"Behoefte {i}: gezamenlijke aanpak voor opschaling" for i in range(40)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Belemmeringen")
    sheet.append(COLUMNS)
    for i in range(rows):
        sub = subs[i % len(subs)]
        sheet.append(
            [
                None,
                "Regiosessie Benchmark",
                sub.thema.name.upper() if i % 7 == 0 else sub.thema.name,
                sub.name,
                f"Belemmering {i}: coördinatie tussen afdelingen ontbreekt",
                "Na de pilot is onduidelijk wie het beheer overneemt; één afdeling draagt alle kosten.",
                ["Lokaal", "regionaal", " NATIONAAL "][i % 3],
                ["Verticaal", "Horizontaal", "Regionaal", "Nationaal"][i % 4],
                rng.randint(0, 25),
                "Een handreiking en gedeelde capaciteit in de regio.",
                "; ".join(rng.sample(needs, rng.randint(0, 3))),
                "Vastgesteld" if i % 5 else "Concept",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run() -> list[Result]:
    fresh_database(os.environ["BENCH_DB"])
    use_bench_env()
    from datetime import timedelta

    from django.utils import timezone

    from belemmeringen.models import Behoefte, Belemmering
    from belemmeringen.resources import BelemmeringResource
    from belemmeringen.services import import_belemmeringen
    from belemmeringen.spreadsheets import read_table
    from regiosessies.models import Regio, Regiosessie

    regio = Regio.objects.create(name="Benchmark", slug="benchmark")
    start = timezone.now() + timedelta(days=30)
    session = Regiosessie.objects.create(
        regio=regio,
        title="Regiosessie Benchmark",
        slug="regiosessie-benchmark",
        start=start,
        end=start + timedelta(hours=3),
        venue_name="Loopback",
        address="127.0.0.1",
        city="Localhost",
        capacity=10,
    )
    for i in range(30):  # 30 of the 40 needs exist already; the import creates the other 10
        Behoefte.objects.create(
            title=f"Behoefte {i}: gezamenlijke aanpak voor opschaling", support_type="kennis", level="nationaal"
        )

    data = make_xlsx(ROWS)
    t0 = time.perf_counter()
    preview = import_belemmeringen(data=data, file_name="bench.xlsx", session=session, dry_run=True)
    dry_seconds = time.perf_counter() - t0
    # The admin's preview also computes the before/after table it shows (BelemmeringResource).
    t0 = time.perf_counter()
    admin_preview = BelemmeringResource(session=session).import_data(read_table(data, "bench.xlsx"), dry_run=True)
    admin_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = import_belemmeringen(data=data, file_name="bench.xlsx", session=session)
    seconds = time.perf_counter() - t0

    stored = Belemmering.objects.filter(session=session).count()
    correct = report.ok and preview.ok and report.new == ROWS and stored == ROWS and Behoefte.objects.count() == 40
    note = f"{len(data) / 1024:.0f} KiB file; {stored} rows stored" + (
        "" if correct else f"; WRONG: {report.errors[:3]}"
    )
    return [
        Result(
            BENCH,
            f"import {ROWS} rows from XLSX (preview, dry run)",
            round(dry_seconds, 2),
            "s",
            target=f"< {TARGET_SECONDS:.0f} s",
            ok=dry_seconds < TARGET_SECONDS and preview.ok,
        ),
        Result(
            BENCH,
            f"admin preview of {ROWS} rows (dry run with the before/after table)",
            round(admin_seconds, 2),
            "s",
            note="" if not admin_preview.messages() else "WRONG: errors",
        ),
        Result(
            BENCH,
            f"import {ROWS} rows from XLSX",
            round(seconds, 2),
            "s",
            target=f"< {TARGET_SECONDS:.0f} s",
            ok=seconds < TARGET_SECONDS and correct,
            note=note,
        ),
        Result(BENCH, "import throughput", round(ROWS / seconds), "rows/s"),
    ]


if __name__ == "__main__":
    cli(run)
