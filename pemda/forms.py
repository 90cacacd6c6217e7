"""Forms check shape only (style.md §10); rules live in pemda/services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pemda.models import Category, Figure, MonitoringNote, RegionalDocument, Semester
from siinas.lib.bounds import bound

FIGURE_LABEL_REQUIRED = gettext_noop("Uraian angka wajib diisi.")
FIGURE_VALUE_REQUIRED = gettext_noop("Nilai wajib diisi dengan angka.")


class SubmissionCreateForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2015, max_value=2100)
    semester = forms.TypedChoiceField(label=_("Semester"), choices=Semester.choices, coerce=int)


class SubmissionTextForm(forms.Form):
    text = forms.CharField(
        label=_("Uraian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Ringkasan, analisis dan keterangan untuk kategori ini."),
    )


class FigureForm(forms.Form):
    label = forms.CharField(label=_("Uraian"), max_length=200, required=False)
    value = bound(forms.DecimalField(label=_("Nilai"), max_digits=20, decimal_places=2, required=False), Figure._meta.get_field("value"))
    unit = forms.CharField(label=_("Satuan"), max_length=40, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        filled = any(data.get(k) not in (None, "") for k in ("label", "value", "unit", "note"))
        if filled and not data.get("label"):
            self.add_error("label", _(FIGURE_LABEL_REQUIRED))
        if filled and data.get("value") is None:
            self.add_error("value", _(FIGURE_VALUE_REQUIRED))
        return data


FigureFormSet = forms.formset_factory(FigureForm, extra=3, can_delete=True, max_num=500, validate_max=True)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Judul lampiran"), max_length=200)
    file = forms.FileField(label=_("Berkas (PDF, JPG, PNG atau XLSX)"))


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=MonitoringNote.Kind.choices)
    message = forms.CharField(label=_("Isi pesan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=RegionalDocument.Kind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)
