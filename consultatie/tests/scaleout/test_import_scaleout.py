"""Scale-out: the spreadsheet import's preview on one instance and its confirm on the other (issue 17).

Before: the upload waited in the temp folder of the instance that showed the preview, so a confirm
that reached the other instance gave a 500. Now it waits in the shared cache (Redis), bound to the
uploader's user and login session. Run with `make test-scaleout` (DATABASE_URL pointing at PostgreSQL).
"""

from __future__ import annotations

import html
import http.client
import json
import re
import secrets
import subprocess

import pytest

from consultatie.tests.scaleout.harness import BASE_DIR, PYTHON

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]

IMPORT = "/admin/belemmeringen/belemmering/import/"
CONFIRM = "/admin/belemmeringen/belemmering/process_import/"


def import_probe(stack, *args: str) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "consultatie.tests.scaleout.import_probe", *args],
        cwd=BASE_DIR,
        env=stack._env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class Browser:
    """One person's cookies, sent to whichever instance is asked."""

    def __init__(self, cookies: dict[str, str]):
        self.cookies = dict(cookies)

    def request(self, port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = conn.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            conn.close()

    def post_form(
        self, port: int, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ):
        boundary = "----scaleout" + secrets.token_hex(8)
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: text/csv\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(port, "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def hidden_inputs(page: str, form_action: str) -> dict[str, str]:
    form = page[page.index(f'action="{form_action}"') :]
    form = form[: form.index("</form>")]
    return {
        html.unescape(m.group(1)): html.unescape(m.group(2))
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }


def preview(browser: Browser, port: int, session_id: int, title: str) -> dict[str, str]:
    status, _, page = browser.request(port, "GET", IMPORT)
    assert status == 200, page[:500]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csv = f"Thema;Titel;Niveau;Dimensie\nTechnisch;{title};Lokaal;Verticaal\n".encode()
    status, _, page = browser.post_form(
        port,
        IMPORT,
        {"csrfmiddlewaretoken": csrf, "session": str(session_id), "format": "1", "resource": "0"},
        files={"import_file": ("belemmeringen.csv", csv)},
    )
    assert status == 200 and title in page, page[-2000:]
    return hidden_inputs(page, CONFIRM)


def test_preview_on_one_instance_and_confirm_on_the_other_complete_the_import(web, session_factory):
    session = session_factory(10)
    login = import_probe(web, "login", f"fac-{secrets.token_hex(3)}", session["slug"])
    browser = Browser({login["cookie_name"]: login["session_key"]})
    a, b = web.ports["a"], web.ports["b"]

    confirm = preview(browser, a, session["id"], "Via twee instanties")
    assert confirm["import_file_name"] and confirm["session"] == str(session["id"])
    status, headers, page = browser.post_form(b, CONFIRM, confirm)
    assert status == 302, page[-2000:]
    assert headers["location"].endswith("/admin/belemmeringen/belemmering/")
    assert import_probe(web, "titles", session["slug"])["titles"] == ["Via twee instanties"]

    # Confirming the same upload again (it was removed) imports nothing and gives no 500, on either instance.
    for port in (a, b):
        status, headers, _ = browser.post_form(port, CONFIRM, confirm)
        assert status == 302 and headers["location"].endswith(IMPORT)
    assert import_probe(web, "titles", session["slug"])["titles"] == ["Via twee instanties"]


def test_another_facilitators_upload_cannot_be_confirmed_on_any_instance(web, session_factory):
    session = session_factory(10)
    owner = Browser(
        {
            (c := import_probe(web, "login", f"fac-{secrets.token_hex(3)}", session["slug"]))["cookie_name"]: c[
                "session_key"
            ]
        }
    )
    other = Browser(
        {
            (d := import_probe(web, "login", f"fac-{secrets.token_hex(3)}", session["slug"]))["cookie_name"]: d[
                "session_key"
            ]
        }
    )
    confirm = preview(owner, web.ports["a"], session["id"], "Van de eigenaar")
    forged = {
        **preview(other, web.ports["b"], session["id"], "Van een ander"),
        "import_file_name": confirm["import_file_name"],
    }
    status, headers, _ = other.post_form(web.ports["b"], CONFIRM, forged)
    assert status == 302 and headers["location"].endswith(IMPORT)
    assert import_probe(web, "titles", session["slug"])["titles"] == []
    # The owner's upload is untouched: confirming it on the other instance still works.
    status, _, _ = owner.post_form(web.ports["b"], CONFIRM, confirm)
    assert status == 302
    assert import_probe(web, "titles", session["slug"])["titles"] == ["Van de eigenaar"]
