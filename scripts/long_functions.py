"""Lists functions in app code longer than the limit (default 60 lines); exits 1 when there is one.

Migrations and tests are left out: a migration is generated, and a test reads best as one story.
Run by `make lint`, which CI runs.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APPS = [
    "core",
    "consultatie",
    "regiosessies",
    "belemmeringen",
    "prioritering",
    "rapportage",
    "resultaten",
    "terugkoppeling",
]


def long_functions(root: Path, limit: int) -> list[tuple[int, str, int, str]]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > limit:
                        found.append((length, str(path.relative_to(root)), node.lineno, node.name))
    return sorted(found, reverse=True)


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    found = long_functions(Path(__file__).resolve().parent.parent, limit)
    for length, path, line, name in found:
        print(f"{path}:{line}: {name} is {length} lines (limit {limit})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
