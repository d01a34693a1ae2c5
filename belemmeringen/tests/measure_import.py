"""Run one import in a process of its own and print what it cost, as JSON on the last line.

    DATABASE_URL=... python -m belemmeringen.tests.measure_import FILE --sessie SLUG [--dry-run]

Peak memory is this process's high-water resident set (VmHWM), so it covers everything the import
held, Django and the libraries included. Used by test_import_limits and bench/import_limits.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path


def _peak_kb() -> int:
    """This process's own high-water mark of resident memory, in kB.

    `ru_maxrss` is no good here: Linux carries it over from the parent through fork and exec, so a child
    of a 350 MB pytest process reports at least 350 MB whatever it did. VmHWM belongs to the memory
    map that exec created, so it counts only this program.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--sessie", dest="session_slug", required=True)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consultatie.test_settings")
    import django

    django.setup()
    from belemmeringen.services import import_belemmeringen
    from regiosessies.models import Regiosessie

    session = Regiosessie.objects.get(slug=args.session_slug)
    path = Path(args.file)
    started = time.monotonic()
    report = import_belemmeringen(data=path.read_bytes(), file_name=path.name, session=session, dry_run=args.dry_run)
    seconds = time.monotonic() - started
    peak_mb = _peak_kb() / 1024
    print(
        json.dumps(
            {"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "errors": report.errors[:3], "new": report.new}
        )
    )


if __name__ == "__main__":
    main()
