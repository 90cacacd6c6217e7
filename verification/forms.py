"""Forms of the verification app: they check shape only; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from siinas.core.models import Kbli


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Peran dalam tim"),
        choices=[(Role.VERIFIER, Role.VERIFIER.label), (Role.VALIDATOR, Role.VALIDATOR.label)],
        widget=forms.RadioSelect,
    )
    divisions = forms.ModelMultipleChoiceField(
        label=_("Golongan pokok KBLI binaan (validator)"),
        queryset=Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
