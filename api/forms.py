"""Forms of the partner administration pages (shape only; api/services.py checks the rules)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from api.models import Dataset, PartnerOrganisation
from siinas.core.models import Kbli, Region

DEFAULT_VALIDITY_DAYS = 365


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.name}" if obj.level == Region.Level.PROVINSI else f"{obj.code} — {obj.name}"


class DivisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Kbli) -> str:
        return f"{obj.code} {obj.title}"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nama organisasi"), max_length=200)
    acronym = forms.CharField(label=_("Singkatan"), max_length=30, required=False)
    mou_number = forms.CharField(label=_("Nomor MoU/PKS"), max_length=100, required=False)
    mou_valid_until = forms.DateField(label=_("MoU berlaku sampai"), required=False, widget=DateInput())
    members = MemberChoiceField(
        label=_("Pengguna Mitra K/L"),
        queryset=User.objects.filter(role=Role.KL, is_active=True).order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anggota melihat token organisasi ini dan pemakaiannya; mereka tidak dapat menerbitkan token."),
    )

    @classmethod
    def for_organisation(cls, organisation: PartnerOrganisation) -> OrganisationForm:
        return cls(
            initial={
                "name": organisation.name,
                "acronym": organisation.acronym,
                "mou_number": organisation.mou_number,
                "mou_valid_until": organisation.mou_valid_until,
                "members": list(organisation.members.all()),
            }
        )


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"), max_length=100, help_text=_("Untuk apa token ini, mis. 'Integrasi LKPM'.")
    )
    datasets = forms.MultipleChoiceField(
        label=_("Dataset"),
        choices=Dataset.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu dataset.")},
    )
    region = RegionChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("Nasional (semua wilayah)"),
        help_text=_("Provinsi atau kabupaten/kota membatasi data pada wilayah itu."),
    )
    kbli_divisions = DivisionChoiceField(
        label=_("Golongan pokok KBLI"),
        queryset=Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan untuk semua golongan pokok."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Batas permintaan per menit"),
        initial=60,
        min_value=1,
        max_value=6000,
        error_messages={"min_value": _("Batas permintaan paling sedikit 1 per menit.")},
    )
    expires_on = forms.DateField(
        label=_("Berlaku sampai"), widget=DateInput(), help_text=_("Paling lama dua tahun dari hari ini.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=DEFAULT_VALIDITY_DAYS))


class TokenRevokeForm(forms.Form):
    revoke_reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pencabutan.")},
        help_text=_("Panggilan dengan token ini ditolak (401) sejak permintaan berikutnya."),
    )
