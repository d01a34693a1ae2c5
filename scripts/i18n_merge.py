"""Refresh the English catalogue: extract every string, fill in the translations kept in
locale/pending/*.json ({"Dutch msgid": "English msgstr", ...}; a plural as {"msgid": ["one", "many"]}),
and compile the .mo. Safe to run from several shells at once (one runs at a time).

    .venv/bin/python scripts/i18n_merge.py
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PENDING = ROOT / "locale" / "pending"
IGNORE = [".venv", "staticfiles", "bench", "docs", "deploy", "scripts", "node_modules"]


def main() -> int:
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "consultatie.settings"}
    with open(ROOT / "locale" / ".merge.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        args = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
        for pattern in IGNORE:
            args += ["--ignore", pattern]
        subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        po = polib.pofile(str(PO))
        pending: dict = {}
        for path in sorted(PENDING.glob("*.json")):
            pending.update(json.loads(path.read_text(encoding="utf-8")))
        filled = 0
        for entry in po:
            if entry.msgid in pending:
                value = pending[entry.msgid]
                if isinstance(value, list):
                    entry.msgstr_plural = {0: value[0], 1: value[1]}
                else:
                    entry.msgstr = value
                filled += 1
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
                if entry.msgid not in pending:
                    entry.msgstr = ""
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: "", 1: ""}
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
                entry.previous_msgctxt = None
        po.save(str(PO))
        subprocess.run(
            [sys.executable, "manage.py", "compilemessages", "-l", "en"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
        print(f"{filled} strings filled from locale/pending; {len(missing)} without English:")
        for msgid in missing:
            print("  ", msgid.replace("\n", " ")[:120])
    return 0


if __name__ == "__main__":
    sys.exit(main())
