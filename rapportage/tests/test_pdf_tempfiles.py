"""Issue 17, finding 5: a forked PDF render leaves no temporary folder behind.

WeasyPrint copies web fonts into a `weasyprint-*` folder and removes it in a finaliser; the render
child ends with os._exit, which skips finalisers, so each render used to leave ~2.7 MB in /tmp.
"""

from __future__ import annotations

import tempfile

from rapportage.pdf import STATIC_BASE_URL, render_pdf

HTML = f"""<html lang="nl"><head><title>x</title><style>
@font-face {{ font-family: Proef; src: url({STATIC_BASE_URL}fonts/open-sans/OpenSans-Regular.ttf); }}
body {{ font-family: Proef; }}
</style></head><body><p>Een pagina met een eigen lettertype.</p></body></html>"""


def test_render_child_leaves_no_weasyprint_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = render_pdf(HTML, time_limit=60)
    assert result.content.startswith(b"%PDF") and result.pages == 1
    assert list(tmp_path.iterdir()) == []
