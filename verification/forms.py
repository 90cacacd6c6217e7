"""Forms of the verification app: they check shape only; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from reporting.models import Period
from reporting.registry import REPORT_TYPES
from siinas.core.models import Kbli, Region
from verification.rates import DIMENSIONS, division_choices


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


class ReviewCommentForm(forms.Form):
    """Pass to validation or validate, with an optional note for the timeline."""

    comment = forms.CharField(label=_("Catatan (opsional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    """Pengembalian Data: tick each section to send back and write its comment (required per section)."""

    def __init__(self, *args, sections: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for code, title in sections:
            self.fields[f"return_{code}"] = forms.BooleanField(label=title, required=False)
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Komentar untuk bagian %(title)s") % {"title": title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[str, str]:
        """Sections ticked or commented, with their comment (the service checks it is not empty)."""
        data = self.cleaned_data
        return {
            code: data.get(f"comment_{code}", "")
            for code, _title in self.sections
            if data.get(f"return_{code}") or (data.get(f"comment_{code}") or "").strip()
        }

    def rows(self):
        return [(code, title, self[f"return_{code}"], self[f"comment_{code}"]) for code, title in self.sections]


class RateForm(forms.Form):
    """The reporting-rate page's choices: period, grouping and the drill-down filters."""

    period = forms.ModelChoiceField(label=_("Periode"), queryset=None, empty_label=None)
    by = forms.ChoiceField(label=_("Menurut"), choices=[])
    province = forms.ModelChoiceField(label=_("Provinsi"), queryset=None, required=False, empty_label=_("Semua provinsi"))
    region = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=None, required=False, empty_label=_("Semua kab/kota"))
    kbli = forms.ModelChoiceField(label=_("KBLI (golongan pokok)"), queryset=None, required=False, empty_label=_("Semua KBLI"))
    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.order_by("-start")
        self.fields["by"].choices = list(DIMENSIONS.items())
        self.fields["province"].queryset = Region.objects.filter(level=Region.Level.PROVINSI)
        # Kab/kota choices only inside the chosen province (the drill-down always carries it): a select of
        # all 500+ kab/kota would cost more to render than the whole table.
        data = self.data if self.is_bound else {}
        regions = Region.objects.exclude(level=Region.Level.PROVINSI)
        if data.get("province"):
            regions = regions.filter(province_id=data["province"])
        else:
            regions = regions.filter(pk=data.get("region") or None)
        self.fields["region"].queryset = regions
        self.fields["kbli"].queryset = division_choices()
        self.fields["report_type"].choices = [("", _("Semua jenis"))] + [
            (code, spec.title) for code, spec in REPORT_TYPES.items() if spec.periodic
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "province": data["province"].pk if data.get("province") else None,
            "region": data["region"].pk if data.get("region") else None,
            "kbli": data["kbli"].pk if data.get("kbli") else None,
            "report_type": data.get("report_type") or None,
        }
