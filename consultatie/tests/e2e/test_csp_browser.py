"""The strict Content-Security-Policy in a real browser: no page of the site or the admin has
anything the policy blocks (inline scripts or styles, other hosts). Chromium reports every
blocked item as a console error naming the Content Security Policy."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC = ["/", "/en/", "/regiosessies/", "/aanmelden/", "/privacy/", "/toegankelijkheid/", "/bestaat-niet/"]


def watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    return blocked


def admin_urls() -> list[str]:
    """Every registered model's list and add page, and its import/export pages where it has them."""
    urls = ["/admin/", "/admin/password_change/", reverse("admin:core_auditlog_subject")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for suffix in ("changelist", "add", "import", "export"):
            try:
                urls.append(reverse(f"{prefix}_{suffix}"))
            except NoReverseMatch:
                continue
    return urls


def test_public_pages_break_no_rule_of_the_policy(page, session_a):
    blocked = watch_csp(page)
    for path in [*PUBLIC, session_a.get_absolute_url()]:
        page.goto(path)
        page.wait_for_load_state("load")
    assert blocked == []


def test_admin_pages_break_no_rule_of_the_policy(page, superuser, session_a):
    blocked = watch_csp(page)
    page.goto("/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", "x" * 16)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    failures = {}
    for url in [*admin_urls(), reverse("admin:regiosessies_regiosessie_change", args=[session_a.pk])]:
        before = len(blocked)
        page.goto(url)
        page.wait_for_load_state("load")
        if len(blocked) > before:
            failures[url] = blocked[before:]
    assert failures == {}


def test_the_select_all_box_on_an_admin_export_page_works_under_the_policy(page, superuser, session_a):
    # import-export's inline handler is allowed by its hash on export pages (core.middleware).
    url = reverse("admin:regiosessies_aanmelding_export")
    blocked = watch_csp(page)
    page.goto("/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", "x" * 16)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(url)
    toggle = page.locator("input.select-toggle").first
    fields = page.locator("input[type=checkbox]:not(.select-toggle)")
    assert fields.count() > 0
    toggle.uncheck()
    assert all(not fields.nth(i).is_checked() for i in range(fields.count()))
    assert blocked == []
