"""The ballot page behind the personal link: /aanmelding/<token>/prioriteiten/.

No account: the token is the credential, as on the personal page. An unknown or anonymised token is
a 404. The view reads and shows; `services.cast_ballot` decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.ratelimit import ratelimit_post
from prioritering import selectors, services
from prioritering.forms import BallotForm
from regiosessies.models import Aanmelding


@method_decorator(never_cache, name="dispatch")
@method_decorator(ratelimit_post("prioriteiten"), name="dispatch")
class BallotView(View):
    template_name = "prioritering/stembiljet_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.aanmelding = None
        self.ronde = None

    def dispatch(self, request, *args, **kwargs):
        self.aanmelding = get_object_or_404(
            Aanmelding.objects.filter(anonymised_at__isnull=True).select_related("session"), token=kwargs["token"]
        )
        self.ronde = selectors.current_round()
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None) -> BallotForm | None:
        if self.ronde is None:
            return None
        needs = selectors.ballot_order(self.ronde.behoeften.all(), token=self.aanmelding.token, round_id=self.ronde.pk)
        initial = {}
        if data is None:  # a posted form shows what was posted; only a fresh page needs the saved ballot
            saved = selectors.current_points(self.ronde, self.aanmelding)
            initial = {services.field_name(pk): points for pk, points in saved.items()}
        return BallotForm(data, needs=needs, ronde=self.ronde, initial=initial)

    def render_page(self, form, *, status: int = 200):
        ronde = self.ronde
        context = {
            "aanmelding": self.aanmelding,
            "ronde": ronde,
            "form": form,
            "reason": selectors.ineligibility_reason(ronde, self.aanmelding) if ronde else None,
            "accepting": bool(ronde and ronde.accepts_ballots()),
            "has_ballot": bool(form is not None and not form.is_bound and form.initial),
            "closed_round": None if ronde else selectors.latest_closed_round(),
        }
        response = render(self.request, self.template_name, context, status=status)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form is None:
            messages.error(request, _("Er loopt nu geen prioriteringsronde. Uw punten zijn niet opgeslagen."))
            return self.render_page(None)
        if form.is_valid():
            try:
                services.cast_ballot(token=self.aanmelding.token, points=form.points(), ronde=self.ronde)
            except services.BallotRejected as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Uw punten zijn opgeslagen. U kunt ze wijzigen tot de ronde sluit."))
                return redirect(request.path)
        return self.render_page(form)
