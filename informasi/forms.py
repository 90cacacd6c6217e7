"""The public statistics page's filters (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from informasi.selectors import MEASURES
from siinas.core.models import Kbli, Region


class StatisticsFilter(forms.Form):
    """Period (semester), province, KBLI 2-digit and the measure drawn on the map and the chart."""

    periode = forms.TypedChoiceField(label=_("Periode"), coerce=int, required=False)
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    kbli = forms.ChoiceField(label=_("KBLI 2 digit"), required=False)
    ukuran = forms.ChoiceField(label=_("Ukuran pada peta"), required=False, choices=list(MEASURES.items()))

    def __init__(self, data, *, periods):
        super().__init__(data)
        self.fields["periode"].choices = [(p.pk, str(p)) for p in periods]
        provinces = Region.objects.filter(level=Region.Level.PROVINSI).order_by("code").values_list("code", "name")
        self.fields["provinsi"].choices = [("", _("Seluruh Indonesia")), *provinces]
        divisions = Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code").values_list("code", "title")
        self.fields["kbli"].choices = [("", _("Semua KBLI")), *((code, f"{code} {title}") for code, title in divisions)]

    def value(self, name: str):
        """The field's cleaned value, or its default when the input is not one of the choices."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data.get(name) or None
