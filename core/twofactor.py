"""Two-factor authentication for staff: enrol an authenticator app (TOTP), then give a code after
each password login. Whether it is required is settings.REQUIRE_2FA, enforced by
core.middleware.StaffTwoFactorMiddleware; these pages are where that middleware sends people."""

from __future__ import annotations

import base64
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator-app"


class TokenForm(forms.Form):
    """A six-digit code, checked against the given devices (throttled per device by django-otp)."""

    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        help_text=_("Zes cijfers. De code verandert elke 30 seconden."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("Vul de code uit uw authenticator-app in.")},
    )

    def __init__(self, *args, devices: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("De code bestaat uit zes cijfers."), code="format")
        allowed = [device for device in self.devices if device.verify_is_allowed()[0]]
        if self.devices and not allowed:
            raise forms.ValidationError(
                _("Te veel onjuiste codes achter elkaar. Wacht even en probeer het dan opnieuw."), code="throttled"
            )
        for device in allowed:
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(
            _("Deze code klopt niet of is verlopen. Controleer de tijd op uw telefoon en probeer de nieuwe code."),
            code="invalid",
        )


def _is_staff(user) -> bool:
    return user.is_active and (user.is_staff or user.is_superuser)


staff_required = user_passes_test(_is_staff, login_url="admin:login")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _complete_login(request: HttpRequest, device) -> HttpResponseRedirect:
    next_url = _next_url(request)
    # A new session key once the second factor is in: a key seen before now cannot be reused.
    request.session.cycle_key()
    otp_login(request, device)
    return HttpResponseRedirect(next_url)


def qr_svg(data: str) -> str:
    """The QR code as an inline SVG document made here, so the secret never leaves the server."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("token")
@staff_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if list(devices_for_user(user, confirmed=True)):
        if user.is_verified():
            return redirect(_next_url(request))
        # Adding a device needs the existing one first, or a stolen password could add its own.
        return redirect(f"{reverse('twofactor:verify')}?{request.GET.urlencode()}")

    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)

    form = TokenForm(request.POST if request.method == "POST" else None, devices=[device])
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        messages.success(request, _("Tweestapsverificatie staat aan voor uw account."))
        return _complete_login(request, device)

    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr_svg(device.config_url)),
            "secret": _grouped_secret(device),
            "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("token")
@staff_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('twofactor:enrol')}?{request.GET.urlencode()}")
    if user.is_verified():
        return redirect(_next_url(request))

    form = TokenForm(request.POST if request.method == "POST" else None, devices=devices)
    if request.method == "POST" and form.is_valid():
        return _complete_login(request, form.device)
    return render(request, "twofactor/verify.html", {"form": form, "next": _next_url(request)})


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("twofactor:verify")


app_name = "twofactor"
urlpatterns = [
    path("", index, name="index"),
    path("instellen/", enrol, name="enrol"),
    path("controleren/", verify, name="verify"),
]
