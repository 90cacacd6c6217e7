"""Forms of the core pages: the admin's announcements (shape only; the service checks the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import Role


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Isi"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Teks biasa; baris baru dipertahankan, HTML tidak ditafsirkan."),
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Ditampilkan kepada"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Pilih sedikitnya satu peran penerima pengumuman.")},
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Tampil mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Tampil sampai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Tanggal terakhir pengumuman tampil (WIB)."),
    )

    @classmethod
    def for_announcement(cls, announcement) -> AnnouncementForm:
        return cls(
            initial={
                "title": announcement.title,
                "body": announcement.body,
                "roles": [a.role for a in announcement.audience.all()],
                "starts_on": announcement.starts_on,
                "ends_on": announcement.ends_on,
            }
        )
