"""Run every benchmark and rewrite the measured part of docs/performance.md.

    python -m bench.run_all            # every bench module
    python -m bench.run_all registrations public_pages   # only these

A bench module is any bench/<name>.py with a top-level `def run() -> list[Result]` (see bench/README.md).
Each runs in its own process (`python -m bench.<name> --json FILE`), so one bench's Django setup or
database never leaks into the next, and a crashing bench is reported instead of stopping the rest.

Only the text between the BEGIN/END markers in docs/performance.md is replaced; notes written around
them (analysis, history) stay.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import PYTHON, REPO, Result, machine

DOC = REPO / "docs" / "performance.md"
BEGIN = "<!-- BEGIN bench/run_all.py output: everything up to END is rewritten by `make bench` -->"
END = "<!-- END bench/run_all.py output -->"
NOT_BENCHES = {"__init__", "common", "run_all", "settings", "urls"}


def discover() -> list[str]:
    names = []
    for path in sorted((REPO / "bench").glob("*.py")):
        if path.stem in NOT_BENCHES:
            continue
        if "\ndef run(" in path.read_text():
            names.append(path.stem)
    return names


def run_one(name: str) -> tuple[list[Result], float, str]:
    out = Path(f"/tmp/cp_bench_{name}.json")
    out.unlink(missing_ok=True)
    started = time.monotonic()
    proc = subprocess.run([PYTHON, "-m", f"bench.{name}", "--json", str(out)], cwd=REPO, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0 or not out.exists():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        sys.stderr.write(tail + "\n")
        return [], elapsed, f"Exit code {proc.returncode}; last lines of its output:\n\n```\n{tail}\n```"
    return [Result(**row) for row in json.loads(out.read_text())], elapsed, ""


def _module_doc(name: str) -> str:
    text = (REPO / "bench" / f"{name}.py").read_text()
    doc = text.split('"""', 2)[1] if text.startswith('"""') else ""
    # The first paragraph of the module docstring: what the bench measures.
    return " ".join(doc.strip().split("\n\n", 1)[0].split()) if doc.strip() else ""


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _busy(load: str, nproc: str) -> bool:
    return float(load.split(",")[0]) > int(nproc)


def render_bench(name: str, results: list[Result], elapsed: float, error: str, before: dict, after: dict) -> str:
    """One bench's block. It carries its own date and load, because a partial run keeps the other blocks."""
    busy = _busy(before["load"], before["nproc"]) or _busy(after["load"], after["nproc"])
    lines = [
        f"### {name}",
        "",
        f"{_module_doc(name)} Command: `python -m bench.{name}` ({elapsed:.0f} s), "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average before {before['load']}, "
        f"after {after['load']}"
        + (
            " — **machine busy** (load above its CPU count): figures are lower than on an idle machine."
            if busy
            else "."
        ),
        "",
    ]
    if error:
        return "\n".join(lines + ["**This bench failed.**", "", error, ""])
    lines += ["| figure | value | floor (bare view) | target | met |", "|---|---|---|---|---|"]
    for r in results:
        met = "–" if r.ok is None else ("yes" if r.ok else "**no**")
        floor = "–" if r.floor is None else f"{_fmt(r.floor)} {r.unit}"
        note = f" <br><small>{r.note}</small>" if r.note else ""
        lines.append(f"| {r.name}{note} | {_fmt(r.value)} {r.unit} | {floor} | {r.target or '–'} | {met} |")
    return "\n".join(lines + [""])


def render(blocks: dict[str, str], order: list[str], info: dict) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    lines = [
        BEGIN,
        "",
        f"Last written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit.stdout.strip() or '?'}` "
        "by `make bench` (`python -m bench.run_all`).",
        "",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, Python {info['python']}.",
        "- Server: gunicorn with the repo's `gunicorn.conf.py` defaults, DEBUG=0, PostgreSQL `cp_bench` "
        "(recreated per bench), Redis cache; the load generator runs on the same machine (loopback).",
        "- Floor: the same requests against a bare Django view (`bench/urls.py`) in the same gunicorn.",
        "",
    ]
    lines += [blocks[name] for name in order if name in blocks]
    lines.append(END)
    return "\n".join(lines)


def previous_blocks() -> dict[str, str]:
    """The per-bench blocks currently in the document, so a partial run keeps the others."""
    if not DOC.exists() or BEGIN not in DOC.read_text():
        return {}
    section = DOC.read_text().split(BEGIN, 1)[1].split(END, 1)[0]
    blocks = {}
    for chunk in section.split("\n### ")[1:]:
        name = chunk.split("\n", 1)[0].strip()
        blocks[name] = "### " + chunk.rstrip() + "\n"
    return blocks


def write_doc(section: str) -> None:
    if DOC.exists() and BEGIN in DOC.read_text() and END in DOC.read_text():
        text = DOC.read_text()
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        DOC.write_text(head + section + tail)
        return
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(
        "# Performance\n\nFigures from the benchmarks in `bench/` (see bench/README.md).\n\n" + section + "\n"
    )


def main(argv: list[str]) -> int:
    known = discover()
    names = argv or known
    unknown = set(names) - set(known)
    if unknown:
        print(f"Unknown bench module(s): {', '.join(sorted(unknown))}. Known: {', '.join(known)}", file=sys.stderr)
        return 2
    blocks = {name: block for name, block in previous_blocks().items() if name in known}
    failed = False
    for name in names:
        print(f"== bench.{name}", flush=True)
        before = machine()
        results, elapsed, error = run_one(name)
        blocks[name] = render_bench(name, results, elapsed, error, before, machine())
        failed = failed or bool(error)
        # Written after every bench, so an interrupted run still records what it measured.
        write_doc(render(blocks, known, machine()))
    print(f"Wrote {DOC.relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
