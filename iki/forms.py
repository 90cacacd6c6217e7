"""The questionnaire form: shape only (the rules live in ``services.iki_response_save``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from iki import questions as q
from iki.questions import Change, Outlook
from siinas.lib.uploads import validate_upload

POWER_OF_ATTORNEY_MAX_BYTES = 10 * 1024 * 1024
POWER_OF_ATTORNEY_KINDS = ("pdf", "png", "jpg")


def _power_of_attorney(upload) -> None:
    validate_upload(upload, kinds=POWER_OF_ATTORNEY_KINDS, limit_bytes=POWER_OF_ATTORNEY_MAX_BYTES)


def _answers(choices, label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


def _factors(choices, label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


def _other() -> forms.CharField:
    return forms.CharField(label=_("Isi jika memilih Lainnya"), max_length=255, required=False)


class ResponseForm(forms.Form):
    """Header, the responding official, questions 1–5 and the Surat Kuasa. ``kbli2`` only when new."""

    kbli2 = forms.ChoiceField(label=_("Bidang usaha berdasarkan KBLI 2020 (2 digit)"))
    operating_commercially = forms.TypedChoiceField(
        label=_("Apakah pabrik dengan lokasi di atas sudah beroperasi secara komersial?"),
        choices=[("ya", _("Ya")), ("tidak", _("Tidak"))],
        coerce=lambda value: value == "ya",
        widget=forms.RadioSelect,
    )
    main_product = forms.CharField(label=_("Produk utama"), max_length=255)
    official_name = forms.CharField(label=_("Nama"), max_length=150)
    official_position = forms.CharField(label=_("Jabatan"), max_length=150)
    official_phone = forms.RegexField(
        label=_("No. Telp./HP"),
        max_length=30,
        regex=r"^\+?[0-9][0-9 ()\-]{5,28}$",
        error_messages={"invalid": _("Isi nomor telepon/HP dengan angka, mis. 081234567890.")},
    )
    official_email = forms.EmailField(label=_("Email"))

    general = _answers(Change.choices, "1. " + str(q.QUESTION_GENERAL))
    orders = _answers(Change.choices, "2. a) " + str(q.QUESTION_ORDERS))
    orders_factors = _factors(q.ORDER_FACTORS, "b) " + str(q.QUESTION_ORDERS_FACTORS))
    orders_other = _other()
    production = _answers(Change.choices, "3. a) " + str(q.QUESTION_PRODUCTION))
    production_factors = _factors(q.PRODUCTION_FACTORS, "b) " + str(q.QUESTION_PRODUCTION_FACTORS))
    production_other = _other()
    stock = _answers(Change.choices, "4. a) " + str(q.QUESTION_STOCK))
    stock_factors = _factors(q.STOCK_FACTORS, "b) " + str(q.QUESTION_STOCK_FACTORS))
    stock_other = _other()
    outlook = _answers(Outlook.choices, "5. a) " + str(q.QUESTION_OUTLOOK))
    outlook_factors = _factors(q.OUTLOOK_FACTORS, "b) " + str(q.QUESTION_OUTLOOK_FACTORS))
    outlook_other = _other()

    power_of_attorney = forms.FileField(
        label=_("Surat Kuasa (PDF, JPG atau PNG, maks. 10 MB)"),
        required=False,
        validators=[_power_of_attorney],
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_power_of_attorney = forms.BooleanField(label=_("Hapus surat kuasa yang tersimpan"), required=False)

    HEADER = ("kbli2", "operating_commercially", "main_product")
    OFFICIAL = ("official_name", "official_position", "official_phone", "official_email")
    # (answer, factors, other) per question, for the template
    QUESTIONS = (
        ("general", None, None),
        ("orders", "orders_factors", "orders_other"),
        ("production", "production_factors", "production_other"),
        ("stock", "stock_factors", "stock_other"),
        ("outlook", "outlook_factors", "outlook_other"),
    )

    def __init__(self, *args, divisions=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kbli2"]
        else:
            self.fields["kbli2"].choices = [("", "—")] + [(k.code, f"{k.code} — {k.title}") for k in divisions or []]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.pop("remove_power_of_attorney", False) and not data.get("power_of_attorney"):
            data["power_of_attorney"] = False
        return data

    def question_blocks(self):
        return [
            (self[a], self[f] if f else None, self[o] if o else None) for a, f, o in self.QUESTIONS
        ]

    def header_fields(self):
        return [self[n] for n in self.HEADER if n in self.fields]

    def official_fields(self):
        return [self[n] for n in self.OFFICIAL]


def initial_from(response) -> dict:
    """Form initial values from a stored response (for editing)."""
    data = {name: getattr(response, name) for name in ResponseForm.OFFICIAL}
    data.update(
        {
            "operating_commercially": "ya" if response.operating_commercially else "tidak",
            "main_product": response.main_product,
        }
    )
    for answer, factors, other in ResponseForm.QUESTIONS:
        data[answer] = getattr(response, answer)
        if factors:
            data[factors] = getattr(response, factors)
            data[other] = getattr(response, other)
    return data


class ReleaseRevisionForm(forms.Form):
    """"Terbitkan revisi": the reason is checked by the service (required from the second vintage on)."""

    reason = forms.CharField(
        label=_("Alasan revisi"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ditampilkan pada rilis publik bersama tanggal revisi."),
    )
