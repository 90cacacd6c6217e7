"""Engine forms (documents, comments, review actions, queue filters) and business-matching forms.

The seven services' own forms are in ``service_forms.py``; ``ServiceEntry`` binds one of them and
its row table together so the views treat every service alike.
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from eservice.catalog import ServiceType, form_payload
from eservice.directory_services import PRODUCT_FIELDS, PROFILE_FIELDS
from eservice.models import DirectoryProduct, DirectoryProfile
from siinas.core.models import Kbli, Region

AT_LEAST_ONE_ROW = _("Isi sedikitnya satu baris tabel.")


class ServiceEntry:
    """A service form plus (when declared) its formset of rows, bound or unbound together."""

    def __init__(self, service: ServiceType, data=None, initial: dict | None = None):
        initial = initial or {}
        self.service = service
        self.form = service.form(data=data, initial={k: v for k, v in initial.items() if k != "rows"})
        self.formset = None
        if service.row_form is not None:
            formset_class = formset_factory(
                service.row_form, extra=2, min_num=1, validate_min=True, can_delete=True
            )
            self.formset = formset_class(
                data=data,
                initial=initial.get("rows") or None,
                prefix="rows",
                error_messages={"too_few_forms": AT_LEAST_ONE_ROW},
            )

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        if self.formset is not None:
            valid = self.formset.is_valid() and valid
        return valid

    def payload(self) -> dict:
        rows = None
        if self.formset is not None:
            rows = [
                f.cleaned_data
                for f in self.formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
        return form_payload(self.form, rows)

    def add_error(self, field: str | None, error) -> None:
        self.form.add_error(field if field in self.form.fields else None, error)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"))
    file = forms.FileField(label=_("Berkas"))

    def __init__(self, *args, service: ServiceType, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(d.code, d.label) for d in service.documents]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Komentar"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Hal yang harus diperbaiki"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("reject", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan keputusan (wajib bila ditolak)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Business matching ----------------------------------------------------------------------------


class ProfileForm(forms.ModelForm):
    class Meta:
        model = DirectoryProfile
        fields = list(PROFILE_FIELDS)  # one list with the service that saves them
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ProductForm(forms.ModelForm):
    kbli = forms.ModelChoiceField(
        label=_("KBLI produk (5 digit)"),
        required=False,
        queryset=Kbli.objects.filter(level=Kbli.Level.KELOMPOK),
        to_field_name="code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
        error_messages={"invalid_choice": _("Kode KBLI 5 digit tidak dikenal.")},
    )

    class Meta:
        model = DirectoryProduct
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Kata kunci (produk, perusahaan)"), required=False, max_length=100)
    kbli = forms.RegexField(
        label=_("KBLI"),
        regex=r"^\d{2,5}$",
        required=False,
        error_messages={"invalid": _("KBLI diisi 2 sampai 5 digit angka.")},
    )
    hs = forms.RegexField(
        label=_("Kode HS"),
        regex=r"^\d{2,10}$",
        required=False,
        error_messages={"invalid": _("Kode HS diisi 2 sampai 10 digit angka tanpa titik.")},
    )
    provinsi = forms.ModelChoiceField(
        label=_("Provinsi"),
        required=False,
        queryset=Region.objects.filter(level=Region.Level.PROVINSI),
        empty_label=_("Semua provinsi"),
    )


class InquiryForm(forms.Form):
    product = forms.TypedChoiceField(label=_("Produk"), required=False, coerce=int, empty_value=None)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    body = forms.CharField(label=_("Pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Umum (tidak tentang produk tertentu)"))] + [
            (p.pk, p.name) for p in products
        ]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Balasan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class SuggestionForm(forms.Form):
    words = forms.CharField(label=_("Produk yang dicari"), required=False, max_length=200)
    kbli = forms.RegexField(
        label=_("KBLI pemasok yang dicari"),
        regex=r"^\d{2,5}$",
        required=False,
        error_messages={"invalid": _("KBLI diisi 2 sampai 5 digit angka.")},
    )
