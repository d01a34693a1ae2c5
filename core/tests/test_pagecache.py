"""The public page cache (core/pagecache.py): anonymous visitors get a stored page without
queries or template rendering, every write to what the pages show makes it stale at once, and a
session's registration opening or closing makes it stale by time."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.utils import timezone

from belemmeringen.models import Thema
from core import pagecache
from core.tests.factories import without_service
from regiosessies import services
from regiosessies.models import Aanmelding, Regiosessie
from regiosessies.tests.factories import make_session

FORM = {
    "name": "Anna de Vries",
    "email": "anna@example.nl",
    "organisation_type": "gemeente",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def page_cache(page_cache_on, settings):
    """The cache on, in local memory (the root conftest's `page_cache_on`): the test settings turn it off,
    and the database cache would count as a query on every hit."""
    settings.REGISTRATION_RATE_LIMIT = 1000


@pytest.fixture
def session(db):
    return make_session("noord", regio_name="Noord", capacity=3)


@contextmanager
def templates_rendered():
    names: list[str] = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def is_served_from_cache(client, path, django_assert_num_queries, **extra) -> bool:
    """GET the page; True when it came without a query and without rendering a template."""
    with templates_rendered() as names:
        response = client.get(path, **extra)
    assert response.status_code == 200
    if names:
        return False
    with django_assert_num_queries(0):
        client.get(path, **extra)
    return True


@contextmanager
def clock_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


PUBLIC_PATHS = [
    "/",
    "/privacy/",
    "/toegankelijkheid/",
    "/aanmelden/",
    "/regiosessies/",
    "/regiosessies/noord/",
    "/regiosessies/noord/aanmelden/verstuurd/",
]


# --- Hits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PATHS + [f"/en{path}" for path in PUBLIC_PATHS])
def test_second_request_is_served_without_queries_or_templates(client, session, path, django_assert_num_queries):
    first = client.get(path)
    assert first.status_code == 200
    with templates_rendered() as names, django_assert_num_queries(0):
        second = client.get(path)
    assert names == []
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The same for everyone: no token, no cookie, nothing that varies per visitor.
    assert b"csrfmiddlewaretoken" not in second.content
    assert not second.cookies
    assert "Cookie" not in second.get("Vary", "")


def test_a_miss_costs_no_extra_query(client, session, settings, django_assert_num_queries):
    # The page's own two queries: the sessions, and whether results are published (the header's link).
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        client.get("/regiosessies/")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    with django_assert_num_queries(2):  # the cache read and write are not queries, and the
        client.get("/regiosessies/")  # time check uses the sessions the page loads anyway


def test_head_gets_the_headers_without_a_body_and_fills_the_cache(client, session, django_assert_num_queries):
    get = Client().get("/regiosessies/")
    cache.clear()
    head = client.head("/regiosessies/")
    assert head.status_code == 200 and head.content == b""
    with django_assert_num_queries(0):
        head = client.head("/regiosessies/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert int(head["Content-Length"]) == len(get.content)
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_dutch_and_english_get_their_own_pages(client, session, django_assert_num_queries):
    dutch = client.get("/regiosessies/").content.decode()
    english = client.get("/en/regiosessies/").content.decode()
    assert "Nog 3 plaatsen vrij" in dutch and "3 seats left" in english
    with django_assert_num_queries(0):
        assert client.get("/regiosessies/").content.decode() == dutch
        assert client.get("/en/regiosessies/").content.decode() == english
        # An English browser still gets the Dutch page at the Dutch address.
        assert client.get("/regiosessies/", HTTP_ACCEPT_LANGUAGE="en").content.decode() == dutch


# --- Who gets a fresh page ----------------------------------------------------------------------


def test_a_logged_in_staff_member_gets_a_fresh_page_and_it_is_not_stored(client, session, django_assert_num_queries):
    anonymous = Client().get("/regiosessies/").content
    staff = get_user_model().objects.create_user("staf", password="x" * 16, is_staff=True)
    client.force_login(staff)
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    assert Client().get("/regiosessies/").content == anonymous


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, session, django_assert_num_queries):
    Client().get("/regiosessies/")
    client.cookies["messages"] = "anything"
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_a_query_string_gets_a_fresh_page(client, session, django_assert_num_queries):
    client.get("/regiosessies/")
    assert not is_served_from_cache(client, "/regiosessies/?utm_source=nieuwsbrief", django_assert_num_queries)


def test_a_404_is_not_stored(client, db, django_assert_num_queries):
    assert client.get("/regiosessies/bestaat-niet/").status_code == 404
    with templates_rendered() as names:
        assert client.get("/regiosessies/bestaat-niet/").status_code == 404
    assert names


def test_a_response_that_used_the_csrf_token_or_set_a_cookie_is_not_stored(rf, settings):
    calls = []

    @pagecache.public_page
    def with_token(request):
        calls.append("token")
        return HttpResponse(get_token(request))

    @pagecache.public_page
    def with_cookie(request):
        calls.append("cookie")
        response = HttpResponse("hallo")
        response.set_cookie("voorkeur", "1")
        return response

    @pagecache.public_page
    def plain(request):
        calls.append("plain")
        return HttpResponse("hallo")

    for view in (with_token, with_cookie, plain):
        cache.clear()
        view(rf.get("/pagina/"))
        view(rf.get("/pagina/"))
    # Only the plain page was stored and served the second time.
    assert calls == ["token", "token", "cookie", "cookie", "plain"]


# --- Writes make the pages stale at once --------------------------------------------------------


def test_a_registration_shows_the_new_seat_count_at_once(
    client, session, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/").content.decode()
    assert "3 seats left" in client.get("/en/regiosessies/noord/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/regiosessies/noord/aanmelden/", FORM)
    assert response.status_code == 302
    assert "Nog 2 plaatsen vrij" in client.get("/regiosessies/").content.decode()
    assert "2 seats left" in client.get("/en/regiosessies/noord/").content.decode()
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_a_cancellation_frees_the_seat_on_the_page(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.register(session=session, name="A", email="a@example.nl", organisation_type="gemeente")
    assert "Nog 2 plaatsen vrij" in client.get("/aanmelden/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(aanmelding=result.aanmelding)
    assert "Nog 3 plaatsen vrij" in client.get("/aanmelden/").content.decode()


def test_a_place_on_the_waiting_list_keeps_the_pages_but_the_last_seat_and_a_promotion_do_not(
    client, session, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def register(email):
        with django_capture_on_commit_callbacks(execute=True):
            return services.register(session=session, name="X", email=email, organisation_type="gemeente")

    register("a@example.nl")
    register("b@example.nl")
    assert "Nog 1 plaats vrij" in client.get("/regiosessies/").content.decode()
    register("c@example.nl")  # the last seat: the page must change
    assert "Vol, wachtlijst open" in client.get("/regiosessies/").content.decode()
    # Joining the waiting list changes nothing the page shows, so the stored page stays valid.
    assert register("d@example.nl").aanmelding.status == "waitlisted"
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    # A cancellation hands the seat to the waiting person: still full, but written, so re-rendered.
    first = Aanmelding.objects.get(email="a@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(aanmelding=first)
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_saving_a_session_changes_the_pages_at_once(client, session, django_capture_on_commit_callbacks):
    assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/noord/").content.decode()
    session.capacity = 10
    session.venue_name = "Provinciehuis"
    with django_capture_on_commit_callbacks(execute=True):
        session.save()
    html = client.get("/regiosessies/noord/").content.decode()
    assert "Nog 10 plaatsen vrij" in html and "Provinciehuis" in html
    assert "Provinciehuis" in client.get("/regiosessies/").content.decode()


def test_renaming_a_theme_changes_the_home_page_at_once(client, session, django_capture_on_commit_callbacks):
    thema = Thema.objects.order_by("order").first()
    assert thema is not None, "the themes are seeded by a data migration"
    assert thema.name in client.get("/").content.decode()
    thema.name = "Een heel nieuw thema"
    with django_capture_on_commit_callbacks(execute=True):
        thema.save()
    assert "Een heel nieuw thema" in client.get("/").content.decode()


def test_nothing_is_stale_before_the_commit_but_the_page_changes_after_it(
    client, session, django_capture_on_commit_callbacks
):
    client.get("/regiosessies/")
    version = cache.get(pagecache.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session.capacity = 10
        session.save()
    # Not before the commit: a page rendered from the old rows meanwhile would count as new.
    assert cache.get(pagecache.VERSION_KEY) == version
    assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/").content.decode()
    assert callbacks == [pagecache.bump_version]
    callbacks[0]()
    assert cache.get(pagecache.VERSION_KEY) != version
    assert "Nog 10 plaatsen vrij" in client.get("/regiosessies/").content.decode()


def test_a_write_during_rendering_does_not_leave_a_stale_page_marked_fresh(client, session, django_assert_num_queries):
    real = pagecache._valid_until

    def commit_meanwhile(context, now):
        # Another request's write commits while this page is being rendered from the old rows.
        pagecache.bump_version()
        return real(context, now)

    with mock.patch.object(pagecache, "_valid_until", commit_meanwhile):
        client.get("/regiosessies/")
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


# --- Time ---------------------------------------------------------------------------------------


def test_a_write_during_rendering_with_a_version_already_set_is_not_kept_as_fresh(
    client, session, django_assert_num_queries
):
    client.get("/regiosessies/")  # a content version exists from here on
    pagecache.bump_version()
    real = pagecache._valid_until

    def commit_meanwhile(context, now):
        pagecache.bump_version()  # another thread of this process commits a write meanwhile
        return real(context, now)

    with mock.patch.object(pagecache, "_valid_until", commit_meanwhile):
        client.get("/regiosessies/")
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_a_write_in_another_process_shows_within_local_seconds(client, session, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock["now"])
    client.get("/regiosessies/")
    # Another gunicorn worker saves the session and replaces the version in the shared cache; this
    # process hears nothing of it (its signal handlers did not run).
    Regiosessie.objects.filter(pk=session.pk).update(venue_name="Provinciehuis")
    cache.set(pagecache.VERSION_KEY, "van-een-ander-proces", timeout=None)
    clock["now"] += pagecache.LOCAL_SECONDS / 2
    assert "Provinciehuis" not in client.get("/regiosessies/").content.decode()
    clock["now"] += pagecache.LOCAL_SECONDS / 2
    assert "Provinciehuis" in client.get("/regiosessies/").content.decode()


def test_while_one_request_renders_a_stale_page_the_others_get_the_stale_copy(
    client, session, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/regiosessies/")
    session.venue_name = "Provinciehuis"
    with django_capture_on_commit_callbacks(execute=True):
        session.save()  # the stored page is stale now
    key = pagecache._page_key("nl", "/regiosessies/")
    assert pagecache._render_lock(key)  # another request is rendering it at this moment
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    assert "Provinciehuis" not in client.get("/regiosessies/").content.decode()
    pagecache._release(key)
    # Nobody renders it any more: the next request renders, stores and releases the lock again.
    assert "Provinciehuis" in client.get("/regiosessies/").content.decode()
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    assert pagecache._render_lock(key)


def test_a_failed_rendering_releases_the_lock(client, session, django_capture_on_commit_callbacks):
    client.get("/regiosessies/")
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.content_changed()
    with mock.patch("regiosessies.views.SessionListView.get_queryset", side_effect=RuntimeError("kapot")):
        with pytest.raises(RuntimeError):
            client.get("/regiosessies/")
    assert pagecache._render_lock(pagecache._page_key("nl", "/regiosessies/"))


def test_a_stale_page_stays_in_the_cache_past_its_validity_to_fall_back_on(client, session, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    with mock.patch.object(pagecache.cache, "set", wraps=pagecache.cache.set) as stored:
        client.get("/regiosessies/")
    (_key, _entry), kwargs = stored.call_args
    assert 60 + pagecache.STALE_SECONDS - 1 <= kwargs["timeout"] <= 60 + pagecache.STALE_SECONDS


def test_a_page_is_rendered_again_when_the_registration_closes(client, db, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 24 * 3600  # so only the closing time can end the entry
    now = timezone.now()
    make_session("noord", regio_name="Noord", capacity=3, registration_closes=now + timedelta(hours=1))
    with clock_at(now):
        assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/").content.decode()
    with clock_at(now + timedelta(minutes=59)):
        assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    with clock_at(now + timedelta(hours=1)):
        html = client.get("/regiosessies/").content.decode()
    assert "Aanmelding gesloten" in html and "plaatsen vrij" not in html


def test_a_page_is_rendered_again_when_the_registration_opens(client, db, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 24 * 3600
    now = timezone.now()
    make_session("noord", regio_name="Noord", capacity=3, registration_opens=now + timedelta(hours=2))
    with clock_at(now):
        assert "Aanmelding opent op" in client.get("/regiosessies/noord/").content.decode()
    with clock_at(now + timedelta(hours=2, seconds=1)):
        assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/noord/").content.decode()


def test_no_page_is_kept_longer_than_the_setting(client, session, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    now = timezone.now()
    with clock_at(now):
        client.get("/privacy/")
    with clock_at(now + timedelta(seconds=59)):
        assert is_served_from_cache(client, "/privacy/", django_assert_num_queries)
    with clock_at(now + timedelta(seconds=60)):
        assert not is_served_from_cache(client, "/privacy/", django_assert_num_queries)


def test_availability_changes_at_is_the_next_moment_availability_changes(db):
    now = timezone.now()
    session = make_session(
        "noord", registration_opens=now + timedelta(days=1), registration_closes=now + timedelta(days=5)
    )
    assert session.availability_changes_at(now) == session.registration_opens
    assert session.availability_changes_at(now + timedelta(days=2)) == session.registration_closes
    assert session.availability_changes_at(now + timedelta(days=6)) == session.start
    assert session.availability_changes_at(session.start) is None
    # Each moment really is where availability() changes.
    for moment in (session.registration_opens, session.registration_closes):
        assert session.availability(moment - timedelta(seconds=1)) != session.availability(moment)
    session.cancelled = True
    assert session.availability_changes_at(now) is None
    # Without a closing time, the start closes the registration.
    open_until_start = make_session("zuid")
    assert open_until_start.availability_changes_at(now) == open_until_start.start
    start = open_until_start.start
    assert open_until_start.availability(start - timedelta(seconds=1)) != open_until_start.availability(start)


# --- Off and broken -----------------------------------------------------------------------------


def test_setting_zero_switches_the_cache_off(client, session, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/regiosessies/")
    assert not is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)
    assert cache.get(pagecache.VERSION_KEY) is None


def test_a_broken_cache_still_serves_the_page(client, session, django_capture_on_commit_callbacks, caplog):
    broken = mock.Mock(name="cache")
    broken.get_many.side_effect = ConnectionError("redis is down")
    broken.set.side_effect = ConnectionError("redis is down")
    broken.add.side_effect = ConnectionError("redis is down")
    with mock.patch.object(pagecache, "cache", broken):
        for path in ("/regiosessies/", "/regiosessies/", "/"):
            response = client.get(path)
            assert response.status_code == 200
        assert "Nog 3 plaatsen vrij" in client.get("/regiosessies/").content.decode()
        # A write still commits: the failed invalidation is logged, never raised.
        with django_capture_on_commit_callbacks(execute=True):
            result = services.register(session=session, name="A", email="a@example.nl", organisation_type="gemeente")
        assert result.created
    assert "Page cache unavailable" in caplog.text


def test_a_missing_version_starts_a_new_one(client, session, django_assert_num_queries):
    cache.delete(pagecache.VERSION_KEY)
    client.get("/regiosessies/")  # starts a version and stores the page under it
    assert cache.get(pagecache.VERSION_KEY) is not None
    assert is_served_from_cache(client, "/regiosessies/", django_assert_num_queries)


def test_request_factory_requests_without_session_are_fine(db):
    # A view called outside the middleware (no session, no messages) must not fail.
    request = RequestFactory().get("/x/")
    response = pagecache.public_page(lambda request: HttpResponse("ok"))(request)
    assert response.status_code == 200


def test_on_redis_a_hit_is_one_round_trip_or_none(client, session, settings, monkeypatch, django_assert_num_queries):
    import os

    import redis

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": f"test-pagecache-{uuid.uuid4().hex}",
        }
    }
    try:
        cache.get("ping")
    except Exception as exc:  # pragma: no cover - depends on the machine
        without_service(f"no Redis: {exc}")
    try:
        first = client.get("/regiosessies/")
        commands = []
        real = redis.Redis.execute_command

        def counting(self, *args, **options):
            commands.append(args[0])
            return real(self, *args, **options)

        monkeypatch.setattr(redis.Redis, "execute_command", counting)
        # Once this process's copy is older than LOCAL_SECONDS: one round trip to Redis, no query.
        pagecache._Local.reset()
        with django_assert_num_queries(0):
            second = client.get("/regiosessies/")
        assert commands == ["MGET"]
        assert second.content == first.content
        # Within LOCAL_SECONDS of that read: not even that.
        with django_assert_num_queries(0):
            assert client.get("/regiosessies/").content == first.content
        assert commands == ["MGET"]
    finally:
        monkeypatch.undo()
        page_key = pagecache._page_key("nl", "/regiosessies/")
        cache.delete_many([pagecache.VERSION_KEY, page_key])
