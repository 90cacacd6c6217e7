"""Writes for IKI: saving a questionnaire response and computing/storing a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Factory, User
from iki import selectors, vintages
from iki.engine import MIN_RESPONDENTS, MonthResult, compute_from_tally
from iki.models import IkiRelease, IkiResponse, IkiResult, month_label
from iki.questions import FACTOR_QUESTIONS, OTHER
from siinas.lib.audit import audit

WINDOW_CLOSED = gettext_noop("Kuesioner IKI hanya dapat diisi dan diubah tanggal %(opens)s sampai %(closes)s.")
NO_WINDOW_OPEN = gettext_noop("Kuesioner IKI sedang ditutup. Periode berikutnya dibuka tanggal %(opens)s.")
KBLI_NOT_OF_FACTORY = gettext_noop("Pilih bidang usaha (KBLI 2 digit) yang terdaftar pada profil pabrik Anda.")
DUPLICATE_LINE = gettext_noop(
    "Kuesioner bidang usaha KBLI %(kbli)s periode %(period)s sudah diisi. Ubah jawaban yang sudah ada."
)
FACTORS_REQUIRED = gettext_noop("Pilih minimal satu faktor utama.")
FACTOR_UNKNOWN = gettext_noop("Pilihan faktor tidak dikenal.")
OTHER_TEXT_REQUIRED = gettext_noop("Tuliskan faktor lainnya karena Anda memilih \"Lainnya\".")
NOT_YOUR_FACTORY = gettext_noop("Hanya akun pabrik yang bersangkutan yang dapat mengisi kuesioner ini.")
STILL_OPEN = gettext_noop("Periode %(period)s masih dapat diisi sampai %(closes)s; hitung setelah ditutup.")
NO_RESPONSES = gettext_noop("Belum ada jawaban kuesioner untuk periode %(period)s.")
REASON_REQUIRED = gettext_noop("Tuliskan alasan revisi.")
PUBLISHED_MEANWHILE = gettext_noop("Rilis IKI periode %(period)s baru saja diterbitkan oleh petugas lain; muat ulang halaman.")
NOT_PUBLISHABLE = gettext_noop("IKI periode %(period)s tidak dapat diterbitkan: kurang dari 3 responden.")

ANSWER_FIELDS = ("general", "orders", "production", "stock", "outlook")
FACTOR_FIELDS = tuple(f for _a, f, _o, _l, _n in FACTOR_QUESTIONS)
OTHER_FIELDS = tuple(o for _a, _f, o, _l, _n in FACTOR_QUESTIONS)
HEADER_FIELDS = (
    "operating_commercially",
    "main_product",
    "official_name",
    "official_position",
    "official_phone",
    "official_email",
)


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _check_factors(data: dict[str, Any]) -> dict[str, str]:
    """SE 13/2022: factors are required unless (a) is Tetap / Tidak berubah; "Lainnya" needs its text."""
    errors: dict[str, str] = {}
    for answer, factors_field, other_field, choices, neutral in FACTOR_QUESTIONS:
        chosen = list(data.get(factors_field) or [])
        allowed = {code for code, _label in choices}
        if any(code not in allowed for code in chosen):
            errors[factors_field] = _(FACTOR_UNKNOWN)
        elif data.get(answer) and data[answer] != neutral and not chosen:
            errors[factors_field] = _(FACTORS_REQUIRED)
        if OTHER in chosen and not (data.get(other_field) or "").strip():
            errors[other_field] = _(OTHER_TEXT_REQUIRED)
    return errors


@transaction.atomic
def iki_response_save(
    *,
    actor: User,
    factory: Factory,
    data: dict[str, Any],
    response: IkiResponse | None = None,
    today: date | None = None,
) -> IkiResponse:
    """Create (``response`` None) or change a factory's answers for one KBLI line of the open month.

    Called by the factory's own company user. ``data`` is the form's cleaned data (``kbli2`` a
    division code, factor fields lists of codes, ``power_of_attorney`` an already-checked upload,
    ``False`` to remove it, or None to keep it). Raises ``ValidationError`` with Indonesian messages
    per field; nothing is saved then.
    """
    if actor.factory_id != factory.pk or (response is not None and response.factory_id != factory.pk):
        raise ValidationError(_(NOT_YOUR_FACTORY))
    today = today or timezone.localdate()
    if response is None:
        window = selectors.open_window(today)
        if window is None:
            upcoming = selectors.next_window(today)
            raise ValidationError(_(NO_WINDOW_OPEN) % {"opens": _date(upcoming.opens_on)})
        response = IkiResponse(factory=factory, period=window.month)
        created = True
    else:
        window = selectors.window_for(response.period)
        if not window.is_open(today):
            raise ValidationError(_(WINDOW_CLOSED) % {"opens": _date(window.opens_on), "closes": _date(window.closes_on)})
        created = False

    errors: dict[str, str] = {}
    if created:
        kbli2 = data.get("kbli2")
        if kbli2 not in {k.code for k in selectors.factory_iki_divisions(factory)}:
            errors["kbli2"] = _(KBLI_NOT_OF_FACTORY)
        elif IkiResponse.objects.filter(factory=factory, period=window.month, kbli2_id=kbli2).exists():
            errors["kbli2"] = _(DUPLICATE_LINE) % {"kbli": kbli2, "period": window.label}
        else:
            response.kbli2_id = kbli2
    errors.update(_check_factors(data))
    if errors:
        raise ValidationError(errors)

    for name in (*HEADER_FIELDS, *ANSWER_FIELDS):
        setattr(response, name, data.get(name))
    for _answer, factors_field, other_field, choices, _neutral in FACTOR_QUESTIONS:
        order = [code for code, _label in choices]
        chosen = sorted(set(data.get(factors_field) or []), key=order.index)
        setattr(response, factors_field, chosen)
        # The text belongs to "Lainnya" only; without it there is nothing to keep.
        setattr(response, other_field, (data.get(other_field) or "").strip() if OTHER in chosen else "")
    upload = data.get("power_of_attorney")
    if upload is False:
        response.power_of_attorney = None
    elif upload:
        response.power_of_attorney = upload
    response.submitted_by = actor
    response.updated_at = timezone.now()
    response.full_clean(exclude=["factory", "kbli2", "submitted_by"])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Two tabs submitting the same line at once: the unique constraint decides.
        raise ValidationError({"kbli2": _(DUPLICATE_LINE) % {"kbli": response.kbli2_id, "period": window.label}}) from None
    audit(
        "iki.response_created" if created else "iki.response_updated",
        actor=actor,
        target=response,
        period=window.label,
        kbli2=response.kbli2_id,
    )
    return response


class IkiComputeError(Exception):
    """A month that cannot be computed (still open, or nothing answered)."""


@dataclass(frozen=True)
class ComputeOutcome:
    result: IkiResult
    month: MonthResult


def _as_month(period: str | date) -> date:
    if isinstance(period, date):
        return period.replace(day=1)
    month = selectors.parse_period(period)
    if month is None:
        raise IkiComputeError(f"periode harus berformat YYYY-MM (tertulis {period!r})")
    return month


def _previous_iki(month: date) -> Decimal | None:
    """Last month's published IKI: its newest release vintage, else the stored figure, else computed
    from last month's responses."""
    before = selectors.previous_month(month)
    published = IkiRelease.objects.filter(period=before).order_by("-vintage").values_list("iki", flat=True).first()
    if published is not None:
        return published
    stored = selectors.result_for(before)
    if stored is not None:
        return stored.iki
    previous = selectors.month_tally(before)
    if previous is None or previous.respondents < MIN_RESPONDENTS:
        return None
    return previous.national().index().iki


@transaction.atomic
def iki_result_compute(
    *, actor: User | None, period: str | date, via: str = "job", today: date | None = None
) -> ComputeOutcome:
    """Compute the month from its responses and store it (replacing an earlier computation).

    Called by the aggregation job (actor None), by an officer's recompute (verifier or admin) and by
    ``iki_compute`` without ``--csv``. Idempotent: the same responses give the same stored row.
    Writes an audit event each time. Raises ``IkiComputeError`` while the window is still open or
    when the month has no responses.
    """
    month = _as_month(period)
    today = today or timezone.localdate()
    window = selectors.window_for(month)
    if not window.has_closed(today):
        raise IkiComputeError(_(STILL_OPEN) % {"period": window.label, "closes": _date(window.closes_on)})
    month_tally = selectors.month_tally(month)
    if month_tally is None:
        raise IkiComputeError(_(NO_RESPONSES) % {"period": window.label})
    gdp_period, groups = selectors.gdp_groups()
    result_data = compute_from_tally(month_tally, gdp_groups=groups or None, previous_iki=_previous_iki(month))
    existing = IkiResult.objects.select_for_update().filter(period=month).first()
    old_value = None if existing is None or existing.iki is None else str(existing.iki)
    stored, _created = IkiResult.objects.update_or_create(
        period=month,
        defaults={
            "iki": result_data.iki,
            "status": result_data.status,
            "respondents": result_data.respondents,
            "gdp_period": gdp_period,
            "payload": result_data.as_stored(),
            "computed_at": timezone.now(),
            "computed_by": actor,
        },
    )
    audit(
        "iki.result_computed" if existing is None else "iki.result_recomputed",
        actor=actor if actor is not None else f"sistem ({via})",
        target=stored,
        via=via,
        period=window.label,
        iki=None if result_data.iki is None else str(result_data.iki),
        previous_value=old_value,
        respondents=result_data.respondents,
    )
    return ComputeOutcome(stored, result_data)


@transaction.atomic
def iki_release_publish(
    *, actor: User | None, period: str | date, reason: str = "", via: str = "petugas", today: date | None = None
) -> IkiRelease:
    """Publish the month: freeze its inputs as they are now and store them with the figures computed
    from them as the next release vintage (docs/statistics.md, "Release vintages (IKI)").

    Called by the aggregation job for a month's first publication (actor None, vintage 1) and by a
    Pusdatin officer's "Terbitkan revisi" (verifier or admin; ``access.RELEASE_ROLES``), which needs a
    reason. Earlier vintages are never changed. The month's current result (``IkiResult``) is set to
    the same figures. Audited (``iki.release_published`` / ``iki.release_revised``). Raises
    ``ValidationError({"reason": …})`` for a revision without a reason, ``IkiComputeError`` while the
    window is open, without responses, or under 3 respondents nationally.
    """
    month = _as_month(period)
    today = today or timezone.localdate()
    window = selectors.window_for(month)
    latest = IkiRelease.objects.select_for_update().filter(period=month).order_by("-vintage").only("vintage", "iki").first()
    reason = (reason or "").strip()
    if latest is not None and not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    if not window.has_closed(today):
        raise IkiComputeError(_(STILL_OPEN) % {"period": window.label, "closes": _date(window.closes_on)})
    inputs = vintages.freeze(month, previous_iki=_previous_iki(month))
    if not inputs["responses"]:
        raise IkiComputeError(_(NO_RESPONSES) % {"period": window.label})
    result_data = vintages.compute(inputs)
    if result_data.national is None:
        raise IkiComputeError(_(NOT_PUBLISHABLE) % {"period": window.label})
    number = 1 if latest is None else latest.vintage + 1
    try:
        with transaction.atomic():
            release = _create_release(month, number, actor, reason, inputs, result_data)
    except IntegrityError:
        # two officers publishing the month's first vintage at once: the unique (month, vintage) decides
        raise IkiComputeError(_(PUBLISHED_MEANWHILE) % {"period": window.label}) from None
    stored_before = IkiResult.objects.filter(period=month).values_list("iki", flat=True).first()
    IkiResult.objects.update_or_create(
        period=month,
        defaults={
            "iki": result_data.iki,
            "status": result_data.status,
            "respondents": result_data.respondents,
            "gdp_period": inputs["gdp_period"],
            "payload": release.payload,
            "computed_at": release.published_at,
            "computed_by": actor,
        },
    )
    audit(
        "iki.release_published" if number == 1 else "iki.release_revised",
        actor=actor if actor is not None else f"sistem ({via})",
        target=release,
        via=via,
        period=window.label,
        vintage=number,
        iki=str(result_data.iki),
        previous_value=None if latest is None else str(latest.iki),
        previous_result=None if stored_before is None else str(stored_before),
        reason=reason,
        inputs_sha256=release.inputs_sha256,
    )
    return release


def _create_release(month: date, number: int, actor: User | None, reason: str, inputs: dict, result_data: MonthResult) -> IkiRelease:
    return IkiRelease.objects.create(
        period=month,
        vintage=number,
        published_by=actor,
        reason=reason,
        iki=result_data.iki,
        status=result_data.status,
        respondents=result_data.respondents,
        gdp_period=inputs["gdp_period"],
        payload=result_data.as_stored(),
        inputs=inputs,
        inputs_sha256=vintages.digest(inputs),
    )


def iki_results_compute_due(*, today: date | None = None) -> list[str]:
    """The aggregation job: every month whose window has closed, that has responses and no release
    vintage yet, is computed and stored (unless stored already) and, when publishable (3 or more
    respondents nationally), published as vintage 1. A month stored before vintages existed is
    published from its inputs as they are on that night. Safe to run any number of times: a published
    month, and a stored month that cannot be published, are left alone."""
    today = today or timezone.localdate()
    published = set(IkiRelease.objects.values_list("period", flat=True))
    stored = dict(IkiResult.objects.values_list("period", "iki"))
    pending = sorted(set(IkiResponse.objects.values_list("period", flat=True).distinct()) - published)
    done = []
    for month in pending:
        if not selectors.window_for(month).has_closed(today):
            continue
        if month in stored:
            publishable = stored[month] is not None
        else:
            publishable = iki_result_compute(actor=None, period=month, via="job", today=today).result.iki is not None
            done.append(month_label(month))
        if publishable:
            iki_release_publish(actor=None, period=month, via="job", today=today)
            if month_label(month) not in done:
                done.append(month_label(month))
    return done
