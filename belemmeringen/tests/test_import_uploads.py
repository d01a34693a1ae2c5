"""Issue 17, findings 2, 3 and 5: the upload between preview and confirm.

Before: the confirm form named a file in the process's temp folder, so a facilitator of Noord could
import (and delete) a Zuid upload, any file in /tmp could be named, a missing name gave a 500, and a
confirm on another instance found nothing. Now the upload waits in the shared cache under a random
name bound to the uploader's user and login session.
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from belemmeringen.models import Belemmering
from belemmeringen.uploads import KEY_PREFIX, SharedUploadStorage, UploadUnavailable, sweep

pytestmark = pytest.mark.django_db

IMPORT = "admin:belemmeringen_belemmering_import"
CONFIRM = "admin:belemmeringen_belemmering_process_import"
REFUSED = "Het bestand voor deze import is niet (meer) beschikbaar"


def _csv(title: str):
    upload = io.BytesIO(f"Thema;Titel;Niveau;Dimensie\nTechnisch;{title};Lokaal;Verticaal\n".encode())
    upload.name = "belemmeringen.csv"
    return upload


def _preview(client, session, title="Sensoren zonder standaard") -> dict:
    response = client.post(
        reverse(IMPORT), {"session": session.pk, "format": "1", "resource": "0", "import_file": _csv(title)}
    )
    assert response.status_code == 200
    return dict(response.context["confirm_form"].initial)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_preview_keeps_the_upload_in_the_shared_cache_not_the_temp_folder(facilitator_a, session_a):
    confirm = _preview(_logged_in(facilitator_a), session_a)
    name = confirm["import_file_name"]
    assert "/" not in name and len(name) >= 32
    entry = cache.get(KEY_PREFIX + name)
    assert entry["data"].startswith(b"Thema;Titel") and entry["owner"]
    assert len(entry["owner"]) == 40 and entry["owner"] != str(facilitator_a.pk)  # a keyed hash, not the user id


def test_confirm_imports_and_then_removes_the_upload(facilitator_a, session_a):
    client = _logged_in(facilitator_a)
    confirm = _preview(client, session_a)
    response = client.post(reverse(CONFIRM), confirm, follow=True)
    assert "Import voltooid: 1 nieuw" in response.content.decode()
    assert cache.get(KEY_PREFIX + confirm["import_file_name"]) is None
    again = client.post(reverse(CONFIRM), confirm, follow=True)
    assert REFUSED in again.content.decode()
    assert Belemmering.objects.count() == 1


def test_foreign_upload_is_refused_imports_nothing_and_deletes_nothing(
    facilitator_a, facilitator_b, session_a, session_b
):
    """The probe's case: Noord confirms with the name of a Zuid upload."""
    zuid = _logged_in(facilitator_b)
    zuid_confirm = _preview(zuid, session_b, title="Geheim van Zuid")
    noord = _logged_in(facilitator_a)
    forged = {**_preview(noord, session_a), "import_file_name": zuid_confirm["import_file_name"]}
    response = noord.post(reverse(CONFIRM), forged)
    assert response.status_code == 302 and response["Location"] == reverse(IMPORT)
    assert REFUSED in noord.get(response["Location"]).content.decode()
    assert not Belemmering.objects.exists()
    # Zuid's upload is still there, and Zuid can still confirm it.
    zuid.post(reverse(CONFIRM), zuid_confirm)
    assert list(Belemmering.objects.values_list("title", "session")) == [("Geheim van Zuid", session_b.pk)]


def test_same_user_in_another_login_session_cannot_confirm(facilitator_a, session_a):
    confirm = _preview(_logged_in(facilitator_a), session_a)
    response = _logged_in(facilitator_a).post(reverse(CONFIRM), confirm, follow=True)
    assert REFUSED in response.content.decode()
    assert not Belemmering.objects.exists()
    assert cache.get(KEY_PREFIX + confirm["import_file_name"]) is not None


@pytest.mark.parametrize(
    "name",
    ["bestaat-niet-0123456789abcdefghijklmnopqrstuvwxyz", "../../../etc/passwd", "tmpabc123", "", "x" * 500],
    ids=["missing", "traversal", "temp-file", "empty", "long"],
)
def test_forged_or_missing_name_imports_nothing_and_gives_no_500(facilitator_a, session_a, name, tmp_path):
    client = _logged_in(facilitator_a)
    forged = {**_preview(client, session_a), "import_file_name": name}
    response = client.post(reverse(CONFIRM), forged, follow=True)
    assert response.status_code == 200
    assert not Belemmering.objects.exists()


def test_forged_format_gives_no_500(facilitator_a, session_a):
    client = _logged_in(facilitator_a)
    forged = {**_preview(client, session_a), "format": "7"}
    response = client.post(reverse(CONFIRM), forged)
    assert response.status_code == 200
    assert not Belemmering.objects.exists()


def test_storage_refuses_another_owner_on_read_and_remove():
    mine = SharedUploadStorage(owner="a" * 64)
    mine.save(b"inhoud")
    other = SharedUploadStorage(name=mine.name, owner="b" * 64)
    with pytest.raises(UploadUnavailable):
        other.read()
    with pytest.raises(UploadUnavailable):
        other.remove()
    assert SharedUploadStorage(name=mine.name, owner="a" * 64).read() == b"inhoud"


def test_abandoned_uploads_are_swept_when_their_time_is_up(settings):
    abandoned = SharedUploadStorage(owner="a" * 64)
    abandoned.save(b"vergeten")
    assert cache.get(KEY_PREFIX + abandoned.name) is not None
    import time

    swept = sweep(now=time.time() + settings.IMPORT_UPLOAD_TTL + 1)
    assert swept >= 1
    assert cache.get(KEY_PREFIX + abandoned.name) is None


ENGLISH = [
    "This exporter",
    "This importer",
    "Submit",
    "Indienen",
    "Confirm import",
    "Accepteer de import",
    "Select all",
    "Below is a preview",
    "Organisation Type (",
]


@pytest.mark.parametrize(
    "url",
    [
        "admin:belemmeringen_belemmering_import",
        "admin:belemmeringen_belemmering_export",
        "admin:regiosessies_aanmelding_export",
    ],
)
def test_import_and_export_screens_are_in_dutch(programmateam, session_a, url):
    content = _logged_in(programmateam).get(reverse(url)).content.decode()
    assert [text for text in ENGLISH if text in content] == []
    assert "Bestand downloaden" in content or "Bestand controleren" in content


def test_preview_page_is_in_dutch_and_shows_counts(facilitator_a, session_a):
    client = _logged_in(facilitator_a)
    response = client.post(
        reverse(IMPORT), {"session": session_a.pk, "format": "1", "resource": "0", "import_file": _csv("Eén rij")}
    )
    content = response.content.decode()
    assert "Het bestand is gecontroleerd: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd." in content
    assert "Import bevestigen" in content
    assert [text for text in ENGLISH if text in content] == []


# --- After an error the chosen file stays chosen (issue 15) -------------------------------------------


def test_after_a_form_error_the_chosen_file_is_kept_and_imports_without_choosing_again(
    facilitator_a, session_a, programmateam, session_b
):
    client = _logged_in(programmateam)  # has two sessions, so must choose one
    first = client.post(
        reverse(IMPORT), {"session": "", "format": "1", "resource": "0", "import_file": _csv("Bewaard bestand")}
    )
    content = first.content.decode()
    assert "Gekozen: <strong>belemmeringen.csv</strong> (bewaard)" in content
    kept = first.context["form"].data["kept_file"]
    assert kept and f'value="{kept}"' in content
    second = client.post(
        reverse(IMPORT),
        {
            "session": session_b.pk,
            "format": "1",
            "resource": "0",
            "kept_file": kept,
            "kept_file_label": "belemmeringen.csv",
        },
    )
    confirm = dict(second.context["confirm_form"].initial)
    assert "Bewaard bestand" in second.content.decode()
    client.post(reverse(CONFIRM), confirm)
    assert list(Belemmering.objects.values_list("title", "session")) == [("Bewaard bestand", session_b.pk)]
    assert cache.get(KEY_PREFIX + kept) is None  # the kept copy was used up, and the confirmed one removed


def test_after_row_errors_the_file_is_kept_for_another_try(facilitator_a, session_a):
    client = _logged_in(facilitator_a)
    upload = io.BytesIO(b"Thema;Titel;Niveau;Dimensie;Regiosessie\nTechnisch;T;Lokaal;Verticaal;Zuid\n")
    upload.name = "zuid.csv"
    response = client.post(
        reverse(IMPORT), {"session": session_a.pk, "format": "1", "resource": "0", "import_file": upload}
    )
    assert "niet de regiosessie waarin u importeert" in response.content.decode()
    assert "Gekozen: <strong>zuid.csv</strong> (bewaard)" in response.content.decode()


def test_someone_elses_kept_file_cannot_be_used(facilitator_a, facilitator_b, session_a, session_b):
    owner = _logged_in(facilitator_b)
    first = owner.post(
        reverse(IMPORT), {"session": "", "format": "1", "resource": "0", "import_file": _csv("Van Zuid")}
    )
    kept = first.context["form"].data["kept_file"]
    other = _logged_in(facilitator_a)
    response = other.post(reverse(IMPORT), {"session": session_a.pk, "format": "1", "resource": "0", "kept_file": kept})
    assert REFUSED in response.content.decode()
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert cache.get(KEY_PREFIX + kept) is not None  # untouched


def test_no_file_and_nothing_kept_asks_for_a_file(facilitator_a, session_a):
    response = _logged_in(facilitator_a).post(
        reverse(IMPORT), {"session": session_a.pk, "format": "1", "resource": "0"}
    )
    assert "Kies een bestand." in response.content.decode()
