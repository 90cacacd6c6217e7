"""Forms check shape only (style.md §10); rules across rows live in the services."""

from __future__ import annotations

import re

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import npwp as stdnum_npwp

from accounts.models import AccountType, Factory, Licence, ProductionCapacity, Registration, Scale
from siinas.core.models import Kbli, Region
from siinas.lib.bounds import bound
from siinas.lib.numbers import localize_form
from siinas.lib.uploads import check_size, validate_pdf

NPWP_LENGTH = gettext_noop("NPWP harus 15 atau 16 digit angka.")
NPWP_INVALID = gettext_noop("NPWP tidak valid (digit pemeriksa tidak cocok).")
NIB_FORMAT = gettext_noop("NIB OSS RBA harus tepat 13 digit angka.")
LOCATION_REQUIRED = gettext_noop("Lokasi pabrik/usaha (kabupaten/kota dan alamat) wajib diisi.")
CAPTCHA_INVALID = gettext_noop("Kode keamanan salah. Ketik ulang huruf pada gambar yang baru.")
OTP_INVALID = gettext_noop("Kode verifikasi salah atau sudah kedaluwarsa.")
PASSWORD_REUSED = gettext_noop("Password baru harus berbeda dari password lama.")  # noqa: S105


def captcha_field() -> CaptchaField:
    """The offline image captcha (django-simple-captcha), with its error in Indonesian."""
    return CaptchaField(
        label=gettext_lazy("Kode keamanan"),
        # The widget renders as a group whose legend does not label the text box itself.
        widget=CaptchaTextInput(attrs={"aria-label": gettext_lazy("Ketik huruf pada gambar kode keamanan")}),
        error_messages={"invalid": gettext_lazy(CAPTCHA_INVALID)},
    )


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def clean_npwp_value(value: str) -> str:
    """NPWP with python-stdnum: the old 15-digit form and the 16-digit (NIK-based) form, check digit included."""
    number = _digits(value)
    if not number.isdigit() or len(number) not in (15, 16):
        raise forms.ValidationError(_(NPWP_LENGTH), code="npwp_length")
    try:
        return stdnum_npwp.validate(number)
    except StdnumError as exc:
        raise forms.ValidationError(_(NPWP_INVALID), code="npwp_invalid") from exc


def clean_nib_value(value: str) -> str:
    number = _digits(value)
    if not re.fullmatch(r"\d{13}", number):
        raise forms.ValidationError(_(NIB_FORMAT), code="nib_format")
    return number


class RegencyChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        queryset = Region.objects.exclude(level=Region.Level.PROVINSI).select_related("province").order_by("code")
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} — {obj.province.name}"


class RegistrationForm(forms.ModelForm):
    region = RegencyChoiceField(label=gettext_lazy("Kabupaten/kota lokasi pabrik/usaha"), required=False)
    # Longer than stored: dots, dashes and spaces are allowed on input and removed by clean_*.
    npwp = forms.CharField(
        label=gettext_lazy("NPWP"),
        max_length=24,
        help_text=gettext_lazy("15 atau 16 digit; NPWP pribadi diperbolehkan untuk usaha perseorangan."),
    )
    nib = forms.CharField(label=gettext_lazy("NIB OSS RBA"), max_length=24)
    captcha = captcha_field()

    class Meta:
        model = Registration
        fields = ["company_name", "business_kind", "factory_name", "region", "address", "npwp", "nib", "nib_file", "email"]
        labels = {
            "company_name": gettext_lazy("Nama Perusahaan"),
            "factory_name": gettext_lazy("Nama lokasi (mis. Pabrik Bekasi)"),
            "address": gettext_lazy("Alamat lokasi pabrik/usaha"),
            "npwp": gettext_lazy("NPWP"),
            "nib": gettext_lazy("NIB OSS RBA"),
            "nib_file": gettext_lazy("Softcopy NIB OSS RBA (PDF, maks. 64 MB)"),
            "email": gettext_lazy("E-mail sesuai NIB"),
        }
        help_texts = {
            "npwp": gettext_lazy("15 atau 16 digit; NPWP pribadi diperbolehkan untuk usaha perseorangan."),
            "email": gettext_lazy("Username dan password akan dikirim ke alamat ini."),
        }
        widgets = {"nib_file": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}

    def clean_npwp(self) -> str:
        return clean_npwp_value(self.cleaned_data["npwp"])

    def clean_nib(self) -> str:
        return clean_nib_value(self.cleaned_data["nib"])

    def clean_nib_file(self):
        upload = self.cleaned_data["nib_file"]
        check_size(upload)  # the content is checked in clean(), last
        return upload

    def clean(self):
        cleaned = super().clean()
        # Every Akun SIINas is one location: needed to keep "one account per location".
        if not cleaned.get("region") and "region" not in self.errors:
            self.add_error("region", _(LOCATION_REQUIRED))
        if not (cleaned.get("address") or "").strip() and "address" not in self.errors:
            self.add_error("address", _(LOCATION_REQUIRED))
        # The PDF is parsed last, and only once every other field and the captcha are valid: parsing
        # costs up to seconds, and an anonymous form must not spend them on a wrong captcha (issue 13).
        upload = cleaned.get("nib_file")
        if upload and not self.errors:
            try:
                validate_pdf(upload)
            except forms.ValidationError as exc:
                self.add_error("nib_file", exc)
        return cleaned

    def registration_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("captcha", "nib_file")}


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": gettext_lazy("Username atau password salah."),
        "inactive": gettext_lazy("Akun ini tidak aktif."),
    }

    def __init__(self, request=None, *args, require_captcha: bool = False, **kwargs):
        super().__init__(request, *args, **kwargs)
        if require_captcha:
            self.fields["captcha"] = captcha_field()

    def clean(self):
        # A wrong captcha stops here: the password is not even tried (no free guesses).
        if "captcha" in self.fields and "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Kode verifikasi"),
        max_length=16,
        help_text=gettext_lazy("6 digit dari aplikasi authenticator, atau salah satu kode cadangan."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["token"]).lower()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.check_password(new):
            self.add_error("new_password1", _(PASSWORD_REUSED))
        return cleaned


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The reset-link form: the save goes through the password service (expiry, audit)."""

    request = None

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.check_password(new):
            self.add_error("new_password1", _(PASSWORD_REUSED))
        return cleaned

    def save(self, commit: bool = True):
        from accounts.services import password_change

        return password_change(
            actor=self.user, user=self.user, new_password=self.cleaned_data["new_password1"], request=self.request, reason="reset"
        )


class ForgotPasswordForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    nib = forms.CharField(label=gettext_lazy("NIB OSS RBA"), max_length=20)
    captcha = captcha_field()

    def clean_nib(self) -> str:
        return clean_nib_value(self.cleaned_data["nib"])


class ApproveForm(forms.Form):
    account_type = forms.ChoiceField(label=gettext_lazy("Tipe akun"), choices=AccountType.choices)


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=gettext_lazy("Keterangan"), max_length=200)


# --- Data Perusahaan sections ---------------------------------------------------------------------


class DataUmumForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama perusahaan"), max_length=255)
    npwp = forms.CharField(label=gettext_lazy("NPWP"), max_length=24)
    legal_form = forms.CharField(label=gettext_lazy("Badan usaha"), max_length=30, required=False)
    phone = forms.CharField(label=gettext_lazy("No. telepon"), max_length=30, required=False)
    website = forms.URLField(label=gettext_lazy("Situs web"), required=False, assume_scheme="https")

    def clean_npwp(self) -> str:
        return clean_npwp_value(self.cleaned_data["npwp"])


class KantorForm(forms.Form):
    hq_address = forms.CharField(label=gettext_lazy("Alamat kantor pusat"), max_length=400)
    hq_region = RegencyChoiceField(label=gettext_lazy("Kabupaten/kota"))
    hq_postal_code = forms.RegexField(
        label=gettext_lazy("Kode pos"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": gettext_lazy("Kode pos harus 5 digit angka.")},
    )


class PabrikForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama lokasi"), max_length=255)
    address = forms.CharField(label=gettext_lazy("Alamat pabrik/lokasi usaha"), max_length=400)
    region = RegencyChoiceField(label=gettext_lazy("Kabupaten/kota"))
    crosses_regency_border = forms.BooleanField(
        label=gettext_lazy("Lokasi melintasi batas kabupaten/kota (kawasan industri)"), required=False
    )
    stage = forms.ChoiceField(label=gettext_lazy("Tahap"), choices=Factory.Stage.choices)
    workforce = bound(forms.IntegerField(label=gettext_lazy("Jumlah tenaga kerja"), min_value=0), Factory._meta.get_field("workforce"))
    # A fact of the obligation rule (reporting/obligation.py): no period ending before it is owed.
    operating_since = forms.DateField(
        label=gettext_lazy("Mulai berproduksi/beroperasi komersial"),
        required=False,
        help_text=Factory._meta.get_field("operating_since").help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_operating_since(self):
        value = self.cleaned_data.get("operating_since")
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("Tanggal mulai beroperasi tidak boleh setelah hari ini."))
        return value


localize_form(PabrikForm)  # 1.234 tenaga kerja in Indonesian, 1,234 in English (siinas.lib.numbers)


class KontakForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=150)
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("No. telp./HP"), max_length=30)
    email = forms.EmailField(label=gettext_lazy("E-mail"))


class KbliForm(forms.Form):
    kbli = forms.ModelMultipleChoiceField(
        label=gettext_lazy("KBLI 2020 (5 digit)"),
        queryset=Kbli.objects.filter(level=Kbli.Level.KELOMPOK).order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=gettext_lazy("Boleh lebih dari satu. Golongan pokok (2 digit) menentukan kuesioner IKI dan validator."),
    )


class CapacityForm(forms.Form):
    product = forms.CharField(label=gettext_lazy("Jenis produk"), max_length=200)
    kbli = forms.ChoiceField(label=gettext_lazy("KBLI"), required=False)
    capacity = bound(
        forms.DecimalField(label=gettext_lazy("Kapasitas per tahun"), min_value=0, max_digits=18, decimal_places=2),
        ProductionCapacity._meta.get_field("capacity"),
    )
    unit = forms.CharField(label=gettext_lazy("Satuan"), max_length=30)

    def __init__(self, *args, kbli_options: dict[str, Kbli] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the factory's own KBLI (read once by the view, not once per row).
        self.kbli_options = kbli_options or {}
        self.fields["kbli"].choices = [("", "—"), *((code, str(k)) for code, k in self.kbli_options.items())]

    def clean_kbli(self) -> Kbli | None:
        code = self.cleaned_data["kbli"]
        return self.kbli_options.get(code) if code else None


localize_form(CapacityForm)


CapacityFormSet = forms.formset_factory(CapacityForm, extra=1, can_delete=True, max_num=100, validate_max=True)


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["kind", "number", "issued_on", "scale", "valid_until"]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}), "valid_until": forms.DateInput(attrs={"type": "date"})}

    scale = forms.ChoiceField(label=gettext_lazy("Skala usaha"), choices=Scale.choices)


SECTION_FORMS = {"umum": DataUmumForm, "kantor": KantorForm, "pabrik": PabrikForm, "kontak": KontakForm}
