"""Forms of the reporting pages: shape only (style.md §10). Section forms are built by the section engine."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models import OtherData, Period, Report
from reporting.registry import REPORT_TYPES
from siinas.lib.bounds import bound
from siinas.lib.uploads import validate_upload

MAX_ATTACHMENTS = 5
TOO_MANY_FILES = _("Paling banyak %(n)s lampiran.")


class StartReportForm(forms.Form):
    period = forms.ModelChoiceField(queryset=Period.objects.all())
    report_type = forms.ChoiceField(choices=[(t.code, t.title) for t in REPORT_TYPES.values() if t.periodic])


class LockForm(forms.Form):
    lock_version = bound(forms.IntegerField(min_value=0, widget=forms.HiddenInput), Report._meta.get_field("lock_version"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(TOO_MANY_FILES % {"n": MAX_ATTACHMENTS})
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            validate_upload(upload)
        return cleaned


class OtherDataForm(forms.ModelForm):
    attachments = MultipleFileField(label=_("lampiran (PDF, JPG, PNG, XLSX)"), required=False)

    class Meta:
        model = OtherData
        fields = ["kind", "title", "description", "event_date", "report", "period"]
        widgets = {"event_date": forms.DateInput(attrs={"type": "date"}), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, factory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = Report.objects.filter(factory=factory).select_related("period")
        self.fields["report"].label_from_instance = lambda r: f"{r.get_report_type_display()} — {r.period}"
        self.fields["report"].empty_label = self.fields["period"].empty_label = _("— tidak ada —")
        self.fields["kind"].choices = [("", _("— pilih —")), *OtherData.Kind.choices]
        for name, f in self.fields.items():
            if name != "attachments":
                f.widget.attrs["class"] = "form-select" if isinstance(f.widget, forms.Select) else "form-control"

    def clean(self):
        data = super().clean()
        if data.get("kind") == OtherData.Kind.INCIDENT and not data.get("event_date"):
            self.add_error("event_date", _("Isi tanggal kejadian luar biasa."))
        return data


class ExcelUploadForm(forms.Form):
    """An Excel file of a report's tables: checked by content (a real XLSX package) and size here; its
    rows are checked by the import service."""

    berkas = forms.FileField(
        label=_("Berkas Excel (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"})
    )

    def clean_berkas(self):
        from reporting.spreadsheet import MAX_BYTES

        upload = self.cleaned_data["berkas"]
        validate_upload(upload, kinds=("xlsx",), limit_bytes=MAX_BYTES)
        return upload
