"""Refresh the README's screenshots in docs/screenshots/ from a fresh demo portal.

    .venv/bin/python scripts/screenshots.py            # all of them
    .venv/bin/python scripts/screenshots.py --port 8093

What it does: a throw-away SQLite database in a temporary folder (migrate, createcachetable,
seed_demo), the development server on 127.0.0.1:<port>, Debian's Chromium through Playwright for
the pages, `manage.py render_rapport` + `pdftoppm` for the first page of the findings chapter (found with
`pdftotext`). Nothing outside the temporary folder and docs/screenshots/ is touched. Needs: chromium,
poppler-utils (pdftoppm, pdftotext).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT = BASE_DIR / "docs" / "screenshots"
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WIDTH = 1280

# The demo's accounts (consultatie/management/commands/seed_demo.py).
FACILITATOR = ("facilitator-noord", "demo-noord-2026")
OPEN_SESSION = "regiosessie-noord-nederland"


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not answer within {timeout} seconds.")


def full_session_slug(env: dict) -> str:
    """The demo session that is full (it has a waiting list), asked of the demo database itself; once the
    demo's sessions have all been held, the one that was full (regiosessies.demo.FULL_SESSION_SLUG)."""
    code = (
        "from regiosessies.models import Regiosessie, Availability\n"
        "from regiosessies.demo import FULL_SESSION_SLUG\n"
        "print(next((s.slug for s in Regiosessie.objects.with_counts() if s.availability() == Availability.FULL),"
        " FULL_SESSION_SLUG))"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def add_upcoming_session(env: dict) -> str:
    """The demo's sessions have all been held; the form is shown for one upcoming session added to this
    throw-away database only (a follow-up afternoon a month ahead)."""
    code = (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from regiosessies.models import Regio, Regiosessie\n"
        "start = timezone.now().replace(hour=12, minute=30, second=0, microsecond=0) + timedelta(days=30)\n"
        "Regiosessie.objects.get_or_create(slug='terugkomsessie-midden', defaults=dict(\n"
        "    regio=Regio.objects.get(slug='midden-nederland'), title='Terugkomsessie Midden-Nederland',\n"
        "    title_en='Follow-up session Central Netherlands', start=start, end=start + timedelta(hours=3),\n"
        "    venue_name='Stadskantoor Utrecht', address='Stadsplateau 1', city='Utrecht', capacity=40))\n"
        "print('terugkomsessie-midden')"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def personal_path(env: dict, slug: str) -> str:
    """The personal page (the link the emails carry) of someone registered for the upcoming session."""
    code = (
        "from regiosessies import services\n"
        f"result = services.register(session={slug!r}, name='Fatima el Amrani', email='fatima@example.nl',\n"
        "    organisation_type='gemeente', organisation='Gemeente Utrecht', role='Adviseur openbare ruimte')\n"
        "print(result.aanmelding.get_absolute_url())"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def session_pk(env: dict, slug: str) -> int:
    code = f"from regiosessies.models import Regiosessie\nprint(Regiosessie.objects.get(slug={slug!r}).pk)"
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return int(result.stdout.strip().splitlines()[-1])


def shoot_pages(base: str, *, full_slug: str, noord_pk: int, personal: str, upcoming: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base, locale="nl-NL", viewport={"width": WIDTH, "height": 900})
        page = context.new_page()

        def shot(name: str, path: str, *, full_page: bool = False) -> None:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            target = OUT / f"{name}.png"
            page.screenshot(path=str(target), full_page=full_page)
            written.append(target)

        shot("home", "/")
        shot("aanmeldformulier", f"/regiosessies/{upcoming}/aanmelden/", full_page=True)
        shot("volle-sessie", f"/regiosessies/{full_slug}/")
        shot("sessie-engels", f"/en/regiosessies/{full_slug}/")
        # A phone (WCAG 1.4.10 reflow: 320 CSS px): the compact header leaves the first screen to the content.
        page.set_viewport_size({"width": 320, "height": 640})
        shot("telefoon-home", "/")
        page.set_viewport_size({"width": 390, "height": 844})
        shot("persoonlijke-pagina", personal, full_page=True)
        page.set_viewport_size({"width": WIDTH, "height": 900})

        page.goto("/admin/login/")
        page.fill("#id_username", FACILITATOR[0])
        page.fill("#id_password", FACILITATOR[1])
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        # The facilitator's start page, then the findings page at 1280 px: it fits, no sideways scrolling.
        shot("beheer-start", "/admin/")
        page.set_viewport_size({"width": WIDTH, "height": 1100})
        shot("beheer-bevindingen-per-sessie", f"/admin/belemmeringen/sessiebevindingen/{noord_pk}/change/")
        browser.close()
    return written


def findings_page(pdf: Path, chapter: str = "Onderzoeksvraag 1") -> int:
    """The first page of the chapter with the findings (knelpunten and needs), found by its numbered
    heading ("3. Onderzoeksvraag 1: ..."): the cover, contents, summary and method before it change
    length as the report grows, and the summary also names the research question."""
    heading = re.compile(rf"^\s*\d+\.\s+{re.escape(chapter)}", re.MULTILINE)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        if heading.search(page) and "Inhoudsopgave" not in page:
            return number
    raise SystemExit(f"No page of the report starts the chapter {chapter!r}.")


def shoot_report(env: dict, workdir: Path) -> Path:
    pdf = workdir / "rapport.pdf"
    manage(env, "render_rapport", str(pdf))
    prefix = workdir / "rapport"
    page = str(findings_page(pdf))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", page, "-l", page, str(pdf), str(prefix)], check=True)
    [rendered] = sorted(workdir.glob("rapport-*.png"))
    target = OUT / "rapport-pagina.png"
    shutil.copyfile(rendered, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM} (apt-get install chromium).")
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        raise SystemExit("pdftoppm or pdftotext not found (apt-get install poppler-utils).")
    OUT.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="cp-screenshots-") as tmp:
        workdir = Path(tmp)
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "REDIS_URL": "",
            "REQUIRE_2FA": "0",
            "DJANGO_SETTINGS_MODULE": "consultatie.settings",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "seed_demo")
        full_slug = full_session_slug(env)
        noord_pk = session_pk(env, OPEN_SESSION)
        upcoming = add_upcoming_session(env)

        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/health/")
            written = shoot_pages(
                base, full_slug=full_slug, noord_pk=noord_pk, personal=personal_path(env, upcoming), upcoming=upcoming
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
        written.append(shoot_report(env, workdir))

    for path in written:
        print(path.relative_to(BASE_DIR))


if __name__ == "__main__":
    main()
