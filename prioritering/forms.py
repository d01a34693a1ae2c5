"""The ballot form: one whole-number field per need, named `punten-<need id>`.

It only reads the numbers; the rules (budget, most per need, dates, who may take part) are the
service's (`prioritering.services.cast_ballot`), whose errors the view puts back on the fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorSummaryMixin
from prioritering.services import field_name

FIELD_PREFIX = "punten-"


class BallotForm(ErrorSummaryMixin, forms.Form):
    def __init__(self, *args, needs, ronde, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = list(needs)
        for need in self.needs:
            self.fields[field_name(need.pk)] = forms.IntegerField(
                label=need.title,
                required=False,
                error_messages={"invalid": _("Vul een heel getal in van 0 of meer.")},
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": ronde.max_per_need,
                        "step": 1,
                        "inputmode": "numeric",
                        "class": "form-control punten-invoer",
                        "aria-describedby": f"{field_name(need.pk)}-uitleg",
                    }
                ),
            )

    def clean(self):
        cleaned = super().clean()
        # A field for a need that is not on this person's ballot: a stale page or a crafted post.
        extra = [key for key in self.data if key.startswith(FIELD_PREFIX) and key not in self.fields]
        if extra:
            raise forms.ValidationError(
                _("Het formulier noemt een behoefte die niet in deze ronde staat. Laad de pagina opnieuw."),
                code="unknown_need",
            )
        return cleaned

    def points(self) -> dict[int, int]:
        """Need id -> points as typed; an empty field is 0."""
        return {need.pk: self.cleaned_data.get(field_name(need.pk)) or 0 for need in self.needs}

    def rows(self):
        """(need, bound field) pairs in the person's own order, for the template."""
        return [(need, self[field_name(need.pk)]) for need in self.needs]
