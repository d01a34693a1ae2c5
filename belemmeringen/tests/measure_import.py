"""Run one import in a process of its own and print what it cost, as JSON on the last line.

    DATABASE_URL=... python -m belemmeringen.tests.measure_import FILE --sessie SLUG [--dry-run]

Peak memory is this process's maximum resident set (`ru_maxrss`), so it covers everything the import
held, Django and the libraries included. Used by test_import_limits and bench/import_limits.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--sessie", required=True)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consultatie.test_settings")
    import django

    django.setup()
    from belemmeringen.services import import_belemmeringen
    from regiosessies.models import Regiosessie

    session = Regiosessie.objects.get(slug=args.sessie)
    path = Path(args.file)
    started = time.monotonic()
    report = import_belemmeringen(data=path.read_bytes(), file_name=path.name, session=session, dry_run=args.dry_run)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "errors": report.errors[:3], "new": report.new}))


if __name__ == "__main__":
    main()
