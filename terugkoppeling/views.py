"""Unsubscribing from the results email and digests, without logging in.

GET shows a page with one button (a link prefetched by a mail scanner changes nothing); POST
unsubscribes. Mail programs that honour RFC 8058 POST `List-Unsubscribe=One-Click` to the same URL
and unsubscribe directly. The view is exempt from CSRF on purpose: what authorises the change is
the signed token in the URL, not a cookie, so there is no session a forged request could ride on,
and an RFC 8058 POST comes from the mail provider's server, which has no CSRF cookie. Nor is it
rate-limited per client: those POSTs arrive from a few provider addresses, and a signed token cannot
be guessed.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from terugkoppeling.emails import aanmelding_from_token
from terugkoppeling.services import unsubscribe


@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    http_method_names = ["get", "post"]

    def get(self, request, token: str):
        aanmelding = aanmelding_from_token(token)
        if aanmelding is None:
            return self._invalid(request)
        return self._page(request, "terugkoppeling/afmelden.html", {"subscribed": aanmelding.wants_results()})

    def post(self, request, token: str):
        aanmelding = aanmelding_from_token(token)
        if aanmelding is None:
            return self._invalid(request)
        unsubscribe(aanmelding=aanmelding)
        return self._page(request, "terugkoppeling/afmelden_klaar.html", {})

    def _invalid(self, request) -> HttpResponse:
        return self._page(request, "terugkoppeling/afmelden_ongeldig.html", {}, status=404)

    def _page(self, request, template: str, context: dict, status: int = 200) -> HttpResponse:
        response = render(request, template, context, status=status)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
