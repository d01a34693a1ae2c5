"""Rendering the consultation report: the demo report, 5,000 entries in 800 knelpunten, and a cached download.

    python -m bench.report_render [--json FILE]

1. Recreates the PostgreSQL bench database and loads the demo data (`seed_demo`: six sessions,
   ~170 obstacles of which ~150 established).
2. Times the portal's whole path for the demo report: build the data, render the HTML, render the PDF
   in the time-limited child process.
3. For 5,000 established per-session entries over the six sessions, grouped into 800 knelpunten
   (BENCH_REPORT_SIZES, pairs "entries:knelpunten"): the same path, next to WeasyPrint alone rendering
   the very same HTML. Targets (issue 12): the demo report under 5 s; 5,000 entries in 800 knelpunten
   under 60 s and under 1 GB peak memory in the render process. The portal's own overhead (data,
   template, fork, file hand-over) is the total minus WeasyPrint's time inside the same run's render
   child; the target is at most 15 % of the total.
   Peak memory is the maximum resident set size of the forked render process (WeasyPrint alone on
   the same HTML; the portal's render child is the same kind of fork doing the same work).
4. A cached download: the unchanged report requested again through the full Django stack (logged-in
   programme staff), median of 20 requests.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("BENCH_DB", "cp_bench_rapport")

from bench.common import Result, cli, fresh_database, use_bench_env

BENCH = "report_render"
SIZES = [
    tuple(int(part) for part in pair.split(":"))
    for pair in os.environ.get("BENCH_REPORT_SIZES", "5000:800").split(",")
    if pair.strip()
]
DEMO_TARGET_S = 5.0
BIG_TARGET_S = 60.0
BIG_TARGET_MIB = 1024
TIME_LIMIT = 3600.0


def _portal_render(session=None):
    """The path a request or the worker takes; returns (seconds, pages, bytes, html, split timings).

    WeasyPrint's own time inside the render child is recorded too (the child writes it to a file), so
    the portal's overhead can be taken from the very same run: on a busy machine two separate renders
    of the same HTML differ by more than the whole overhead.
    """
    import tempfile

    from core import pdf as core_pdf
    from rapportage import pdf as pdf_module
    from rapportage.data import build_report

    original = core_pdf.write_pdf
    timing_file = tempfile.NamedTemporaryFile(prefix="cp_bench_weasy_", delete=False).name

    def timed_write_pdf(html, *, fetcher=None):
        t0 = time.perf_counter()
        result = original(html, fetcher=fetcher)
        with open(timing_file, "w") as handle:
            handle.write(f"{time.perf_counter() - t0:.6f}")
        return result

    core_pdf.write_pdf = timed_write_pdf  # the forked child looks the name up in the module
    try:
        t0 = time.perf_counter()
        rapport = build_report(session=session)
        t1 = time.perf_counter()
        html = pdf_module.report_html(rapport)
        t2 = time.perf_counter()
        pdf = core_pdf.render_pdf(html, time_limit=TIME_LIMIT)
        t3 = time.perf_counter()
    finally:
        core_pdf.write_pdf = original
    with open(timing_file) as handle:
        weasy = float(handle.read())
    os.unlink(timing_file)
    split = {"data": t1 - t0, "html": t2 - t1, "pdf": t3 - t2, "weasyprint": weasy}
    return t3 - t0, pdf.pages, len(pdf.content), html, split


def _weasyprint_alone(html: str) -> tuple[float, float]:
    """WeasyPrint alone on the same HTML: seconds (timed inside the process, so no fork cost is
    counted) and the peak resident memory of that render process in MiB.

    It runs in a forked child, exactly like the portal's render, so `wait4` reports that process's
    own peak memory and nothing of this one's later life.
    """
    from weasyprint import HTML

    from core.pdf import PDF_VARIANT, STATIC_BASE_URL, StaticOnlyURLFetcher

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        t0 = time.perf_counter()
        HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )
        os.write(write_end, f"{time.perf_counter() - t0:.6f}".encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        seconds = float(pipe.read() or "nan")
    _pid, _status, usage = os.wait4(pid, 0)
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def run() -> list[Result]:
    fresh_database(os.environ["BENCH_DB"])
    use_bench_env()
    from django.core.management import call_command

    from belemmeringen.models import Belemmering, Knelpunt
    from regiosessies.models import Regiosessie

    call_command("seed_demo", "--allow-production", verbosity=0, stdout=open(os.devnull, "w"))
    sessions = list(Regiosessie.objects.order_by("start"))
    results: list[Result] = []

    seconds, pages, size, html, split = _portal_render()
    alone, peak = _weasyprint_alone(html)
    established = Belemmering.objects.filter(status="vastgesteld").count()
    knelpunten = Knelpunt.objects.count()
    results.append(
        Result(
            BENCH,
            f"demo report ({established} entries in {knelpunten} knelpunten, {pages} pages)",
            round(seconds, 2),
            "s",
            floor=round(alone, 2),
            target=f"< {DEMO_TARGET_S:g} s",
            ok=seconds < DEMO_TARGET_S,
            note=f"floor = WeasyPrint alone on the same HTML; data {split['data'] * 1000:.0f} ms, html "
            f"{split['html'] * 1000:.0f} ms, {size // 1024} KiB, render process peak {peak:.0f} MiB",
        )
    )
    seconds, pages, _size, _html, _split = _portal_render(session=sessions[0])
    results.append(Result(BENCH, f"demo report of one session ({pages} pages)", round(seconds, 2), "s"))

    # A cached download through the whole stack.
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rapportage.services import request_report

    render = request_report()
    if render.status != "done":  # queued for the worker (no worker runs in the bench): run it here
        from rapportage.services import run_render

        render = run_render(render=render)
    client = Client()
    client.force_login(get_user_model().objects.get(username="programma"))
    timings = []
    for _ in range(20):
        t0 = time.perf_counter()
        response = client.get("/rapportage/rapport.pdf")
        body = b"".join(response.streaming_content)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200 and body.startswith(b"%PDF"), response.status_code
    results.append(
        Result(
            BENCH,
            f"cached download of the unchanged report ({len(body) // 1024} KiB)",
            round(statistics.median(timings) * 1000, 1),
            "ms",
            target="< 500 ms",
            ok=statistics.median(timings) < 0.5,
            note=f"median of 20; max {max(timings) * 1000:.0f} ms",
        )
    )

    from rapportage.tests.factories import make_many_obstacles

    for size_n, knelpunten_n in SIZES:
        Belemmering.objects.all().delete()
        Knelpunt.objects.all().delete()
        make_many_obstacles(sessions, size_n, knelpunten=knelpunten_n)
        label = f"{size_n} entries in {knelpunten_n} knelpunten"
        seconds, pages, size, html, split = _portal_render()
        alone, peak = _weasyprint_alone(html)
        overhead = seconds - split["weasyprint"]
        results += [
            Result(
                BENCH,
                f"{label}: portal render ({pages} pages)",
                round(seconds, 2),
                "s",
                floor=round(alone, 2),
                target=f"< {BIG_TARGET_S:g} s",
                ok=seconds < BIG_TARGET_S,
                note=f"floor = WeasyPrint alone on the same HTML in a separate run; data "
                f"{split['data'] * 1000:.0f} ms, html {split['html'] * 1000:.0f} ms, WeasyPrint in the "
                f"child {split['weasyprint']:.2f} s, portal overhead {overhead:.2f} s, {size // 1024} KiB",
            ),
            Result(
                BENCH,
                f"{label}: peak memory of the render process",
                round(peak),
                "MiB",
                target=f"< {BIG_TARGET_MIB} MiB",
                ok=peak < BIG_TARGET_MIB,
            ),
        ]

    return results


if __name__ == "__main__":
    cli(run)
