"""Pohon Industri forms: the browse filter and the curated link (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analisis.models import CuratedLink
from analisis.pohon import graph as g
from analisis.pohon.selectors import Query


class BrowseForm(forms.Form):
    cari = forms.CharField(label=_("Cari produk (nama atau kode HS)"), required=False, max_length=100)
    produk = forms.RegexField(label=_("Produk"), regex=r"^(hs:\d{8}|nama:[\w ]{1,200})$", required=False)
    kbli = forms.RegexField(label=_("KBLI (2 atau 5 digit)"), regex=r"^(\d{2}|\d{5})$", required=False)
    arah = forms.ChoiceField(
        label=_("Arah"),
        required=False,
        choices=[
            ("keduanya", _("Hulu dan hilir")),
            ("hulu", _("Hulu (bahan)")),
            ("hilir", _("Hilir (hasil olahan)")),
        ],
    )
    tingkat = forms.TypedChoiceField(
        label=_("Tingkat"),
        required=False,
        coerce=int,
        choices=[(n, str(n)) for n in range(1, g.MAX_DEPTH + 1)],
    )

    def query(self) -> Query:
        """The valid part of the input (an invalid field is ignored, as on every public filter)."""
        self.is_valid()
        data = self.cleaned_data
        return Query(
            product=data.get("produk") or "",
            kbli=data.get("kbli") or "",
            text=(data.get("cari") or "").strip(),
            direction=data.get("arah") or "keduanya",
            depth=data.get("tingkat") or 2,
        )


class CuratedLinkForm(forms.ModelForm):
    class Meta:
        model = CuratedLink
        fields = ["source_name", "source_hs", "target_name", "target_hs", "note", "reference"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
