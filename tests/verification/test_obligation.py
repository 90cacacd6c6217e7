"""The obligation rule (kewajiban lapor, reporting/obligation.py; docs/statistics.md): which account owes
which periodic report for which period — one test per fact, the SQL face equal to the Python face over a
matrix of facts, and the rate, the Pemda dashboard and monitor, the company's own list and the
warning-letter planner giving the same accounts on the same data.

Semester 1 2026 throughout: the period runs 1 January – 30 June, its window 1 July – 31 August. The
clock stands on 20 November 2026 (after the window; the letters' SP1 is due).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from accounts.models import AccountType, Factory, Licence, Scale
from accounts.services import factory_deactivate, factory_reactivate
from reporting.obligation import accounts_owing, owed_type_case, owes
from reporting.selectors import due_reports
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.reporting.factories import PeriodFactory
from verification.models import WarningLetter
from verification.rates import rate_table
from verification.services.compliance import compliance_plan

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.date(2026, 11, 20)
YEARS_BACK = dt.datetime(2019, 3, 4, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=WIB), tick=False):
        cache.clear()
        yield


@pytest.fixture
def s1(db):
    return PeriodFactory(year=2026, number=1)


def account(
    *,
    registered: dt.datetime = YEARS_BACK,
    licences: tuple[dt.date, ...] = (),
    region: str = "32.16",
    **fields,
) -> Factory:
    """An account with the facts given (registered years back, no licence, active, in production)."""
    factory = FactoryAccountFactory(region=Region.objects.get(pk=region), **fields)
    Factory.objects.filter(pk=factory.pk).update(created_at=registered)
    for n, issued_on in enumerate(licences):
        Licence.objects.create(factory=factory, kind="IUI", number=f"IUI-{factory.pk}-{n}", issued_on=issued_on, scale=factory.scale)
    return Factory.objects.get(pk=factory.pk)


def owed_by_python(factory: Factory, period) -> list[str]:
    return [spec.code for spec in owes(Factory.objects.get(pk=factory.pk), period)]


def owed_by_sql(factory: Factory, period) -> list[str]:
    row = accounts_owing(period).filter(pk=factory.pk).annotate(owed=owed_type_case()).values_list("owed", flat=True)
    return list(row)


def owes_period(factory: Factory, period) -> bool:
    """Whether the account owes ``period``, after checking that both faces of the rule say the same."""
    python, sql = owed_by_python(factory, period), owed_by_sql(factory, period)
    assert python == sql, f"Python face {python} ≠ SQL face {sql}"
    return bool(python)


# --- Registration -----------------------------------------------------------------------------------------


def test_an_account_registered_before_the_window_opened_owes_the_period(s1):
    assert owes_period(account(registered=dt.datetime(2026, 6, 30, 23, 59, tzinfo=WIB)), s1)


def test_an_account_registered_during_the_window_does_not_owe_the_period(s1):
    assert not owes_period(account(registered=dt.datetime(2026, 7, 1, 0, 0, tzinfo=WIB)), s1)
    assert not owes_period(account(registered=dt.datetime(2026, 8, 31, 12, 0, tzinfo=WIB)), s1)


def test_an_account_registered_after_the_window_does_not_owe_the_period(s1):
    assert not owes_period(account(registered=dt.datetime(2026, 9, 1, 8, 0, tzinfo=WIB)), s1)


def test_the_registration_day_is_the_jakarta_day(s1):
    # 30 June 17:30 UTC is already 1 July 00:30 in Jakarta: registered on the window's first day.
    assert not owes_period(account(registered=dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.UTC)), s1)


# --- Operation start, licence date ------------------------------------------------------------------------


def test_a_factory_operating_only_after_the_period_ended_does_not_owe_it(s1):
    assert not owes_period(account(operating_since=dt.date(2026, 7, 1)), s1)
    assert owes_period(account(operating_since=dt.date(2026, 6, 30)), s1)


def test_the_operation_start_decides_even_when_a_licence_is_older(s1):
    assert not owes_period(account(operating_since=dt.date(2026, 7, 1), licences=(dt.date(2020, 1, 1),)), s1)


def test_without_an_operation_start_the_first_licence_decides(s1):
    assert not owes_period(account(licences=(dt.date(2026, 7, 1), dt.date(2027, 1, 5))), s1)
    assert owes_period(account(licences=(dt.date(2026, 7, 1), dt.date(2026, 6, 30))), s1)


def test_an_account_in_construction_is_judged_by_its_licence_not_an_operation_start(s1):
    building = account(stage=Factory.Stage.CONSTRUCTION, operating_since=dt.date(2027, 6, 1), licences=(dt.date(2025, 5, 1),))
    assert owed_by_python(building, s1) == owed_by_sql(building, s1) == ["industri_pembangunan"]
    licensed_later = account(stage=Factory.Stage.CONSTRUCTION, licences=(dt.date(2026, 9, 1),))
    assert not owes_period(licensed_later, s1)


def test_without_either_date_registration_decides(s1):
    assert owes_period(account(registered=dt.datetime(2026, 6, 1, 9, 0, tzinfo=WIB)), s1)
    assert not owes_period(account(registered=dt.datetime(2026, 7, 2, 9, 0, tzinfo=WIB)), s1)


# --- Closure ----------------------------------------------------------------------------------------------


def closed(on: dt.date, **facts) -> Factory:
    factory = account(**facts)
    return factory_deactivate(actor=None, factory=factory, closed_on=on)


def test_an_account_closed_before_the_period_owes_nothing(s1):
    assert not owes_period(closed(dt.date(2025, 11, 1)), s1)


def test_an_account_closed_during_the_period_or_its_window_does_not_owe_it(s1):
    assert not owes_period(closed(dt.date(2026, 3, 15)), s1)
    assert not owes_period(closed(dt.date(2026, 8, 31)), s1)  # the window's last day: not open for all of it


def test_an_account_closed_after_the_window_still_owes_the_period(s1):
    # The past period's rate does not change when an account closes later.
    assert owes_period(closed(dt.date(2026, 9, 1)), s1)


def test_a_suspended_account_without_a_closure_date_owes_nothing(s1):
    factory = account(status=Factory.Status.SUSPENDED)
    assert not owes_period(factory, s1)


def test_a_reactivated_account_owes_every_period_again(s1):
    factory = closed(dt.date(2026, 3, 15))
    factory = factory_reactivate(actor=None, factory=factory)
    assert factory.closed_on is None
    assert owes_period(factory, s1)


def test_a_closure_date_cannot_be_in_the_future():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        factory_deactivate(actor=None, factory=account(), closed_on=TODAY + dt.timedelta(days=1))
    assert "closed_on" in error.value.message_dict


# --- Type, stage, scale -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account_type", "stage", "scale", "owed"),
    [
        (AccountType.A, Factory.Stage.CONSTRUCTION, Scale.BESAR, ["industri_pembangunan"]),
        (AccountType.A, Factory.Stage.PRODUCTION, Scale.KECIL, ["industri_produksi_kecil"]),
        (AccountType.A, Factory.Stage.PRODUCTION, Scale.MENENGAH, ["industri_produksi"]),
        (AccountType.B, Factory.Stage.CONSTRUCTION, Scale.KECIL, ["kawasan_pembangunan"]),
        (AccountType.B, Factory.Stage.PRODUCTION, Scale.BESAR, ["kawasan_komersial"]),
        (AccountType.C, Factory.Stage.PRODUCTION, Scale.BESAR, []),
        (AccountType.D, Factory.Stage.PRODUCTION, Scale.BESAR, []),
    ],
)
def test_construction_and_production_accounts_owe_their_own_report(s1, account_type, stage, scale, owed):
    factory = account(account_type=account_type, stage=stage, scale=scale)
    assert owed_by_python(factory, s1) == owed_by_sql(factory, s1) == owed


# --- The two faces over a matrix ----------------------------------------------------------------------------


def test_the_sql_face_equals_the_python_face_over_a_matrix_of_facts(reference_data):
    rng = random.Random(17)
    periods = [PeriodFactory(year=2025, number=2), PeriodFactory(year=2026, number=1), PeriodFactory(year=2026, number=2)]
    edges = [d for p in periods for d in (p.start, p.end, p.window_opens, p.window_closes)]
    days = sorted({d + dt.timedelta(days=k) for d in edges for k in (-1, 0, 1)})
    for _ in range(240):
        registered = rng.choice(days)
        status = rng.choice([Factory.Status.ACTIVE, Factory.Status.ACTIVE, Factory.Status.SUSPENDED])
        factory = account(
            registered=dt.datetime.combine(registered, dt.time(rng.choice([0, 9, 23]), 30), tzinfo=WIB),
            account_type=rng.choice(AccountType.values),
            stage=rng.choice(Factory.Stage.values),
            scale=rng.choice(Scale.values),
            operating_since=rng.choice([None, None, rng.choice(days)]),
            licences=tuple(rng.choice(days) for _ in range(rng.choice([0, 0, 1, 2]))),
            status=status,
        )
        if status == Factory.Status.SUSPENDED and rng.random() < 0.7:
            Factory.objects.filter(pk=factory.pk).update(closed_on=rng.choice(days))
    factories = list(Factory.objects.prefetch_related("licences"))
    seen = set()
    for period in periods:
        python = {(f.pk, spec.code) for f in factories for spec in owes(f, period)}
        sql = set(accounts_owing(period).annotate(owed=owed_type_case()).values_list("pk", "owed"))
        assert python == sql, period
        for code in {code for _pk, code in python}:
            assert set(accounts_owing(period, [code]).values_list("pk", flat=True)) == {pk for pk, c in python if c == code}
        seen.add(len(python))
    assert min(seen) >= 10 and len(factories) - max(seen) >= 10  # every period has accounts on both sides


# --- The bullet: rates of a past semester are not empty -----------------------------------------------


def test_accounts_registered_years_back_are_counted_nationally_and_in_west_java(client, cast, s1):
    """Issue 17: "Semester 1 2026 shows 1 expected report nationally and 0 akun for West Java". Accounts
    registered years back owe the past semester — those closed after its window too."""
    karawang = [account(region="32.15", scale=Scale.BESAR, licences=(dt.date(2018, 5, 2),)) for _ in range(4)]
    bandung = [account(region="32.73", scale=Scale.BESAR, operating_since=dt.date(2015, 1, 1)) for _ in range(2)]
    closed_later = [factory_deactivate(actor=None, factory=f, closed_on=dt.date(2026, 10, 1)) for f in bandung]
    surabaya = account(region="35.78", scale=Scale.KECIL)
    newcomer = account(region="32.15", scale=Scale.BESAR, registered=dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB))

    national = rate_table(user=cast.verifier, period=s1, by="province")
    # the cast's two accounts (registered 1 January 2024), the seven above; not the newcomer
    assert national.total.expected == 2 + len(karawang) + len(closed_later) + 1
    assert {r.key: r.expected for r in national.rows} == {"32": 1 + 4 + 2, "35": 1 + 1}
    assert newcomer.pk not in set(accounts_owing(s1).values_list("pk", flat=True))
    assert surabaya.pk in set(accounts_owing(s1).values_list("pk", flat=True))

    login(client, cast.pemda_jabar)
    dashboard = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    rows = {r.row.key: r.row.expected for r in dashboard.context["rates_region"]}
    assert rows == {"32.15": 4, "32.16": 1, "32.73": 2}
    monitor = client.get(reverse("pemda:report-monitor"), {"periode": s1.pk})
    assert monitor.context["page"].paginator.count == 7  # every Besar account of the province that owes S1
    assert "7 akun" in monitor.content.decode()


# --- One rule, every consumer -----------------------------------------------------------------------------


def test_the_rate_the_pemda_monitor_the_company_list_and_the_letters_name_the_same_accounts(client, cast, s1):
    """A population with every fact: the national rate's expected units, the Pemda monitor of West Java,
    each company's own list of reports due and the SP1 letters planned after the window are one set
    (West Java's: the cast's factory_a, Besar in Kab. Bekasi and registered in 2024, among them)."""
    population = {
        "registered long ago": account(scale=Scale.BESAR),
        "registered during the window": account(scale=Scale.BESAR, registered=dt.datetime(2026, 7, 20, tzinfo=WIB)),
        "operating after the period": account(scale=Scale.BESAR, operating_since=dt.date(2026, 8, 1)),
        "licensed in time": account(scale=Scale.BESAR, licences=(dt.date(2026, 2, 1),)),
        "licensed after the period": account(scale=Scale.BESAR, licences=(dt.date(2026, 7, 15),)),
        "in construction": account(scale=Scale.BESAR, stage=Factory.Stage.CONSTRUCTION),
        "closed during the period": closed(dt.date(2026, 4, 1), scale=Scale.BESAR),
        "estate across a border": account(account_type=AccountType.B, crosses_regency_border=True, stage=Factory.Stage.PRODUCTION),
    }
    owing = {cast.factory_a.pk} | {
        population[name].pk for name in ("registered long ago", "licensed in time", "in construction", "estate across a border")
    }

    rate = rate_table(user=cast.verifier, period=s1, by="factory", filters={"province": "32"})
    assert {int(row.key.split(":")[0]) for row in rate.rows} == owing

    login(client, cast.pemda_jabar)
    monitor = client.get(reverse("pemda:report-monitor"), {"periode": s1.pk})
    assert {row.factory.pk for row in monitor.context["rows"]} == owing

    west_java = Factory.objects.filter(province_id="32")
    listed = {f.pk for f in west_java if any(row.period.pk == s1.pk for row in due_reports(f))}
    assert listed == owing

    compliance_plan(today=TODAY)
    assert set(WarningLetter.objects.filter(period=s1, factory__province_id="32").values_list("factory_id", flat=True)) == owing


def test_an_account_closed_after_the_window_counts_in_the_rate_but_gets_no_letter(cast, s1):
    gone = closed(dt.date(2026, 9, 15), scale=Scale.BESAR)
    assert gone.pk in {int(row.key.split(":")[0]) for row in rate_table(user=cast.verifier, period=s1, by="factory").rows}
    compliance_plan(today=TODAY)
    letters = set(WarningLetter.objects.filter(period=s1).values_list("factory_id", flat=True))
    assert gone.pk not in letters
    assert cast.factory_a.pk in letters


def test_the_former_names_are_faces_of_the_rule(s1):
    from verification.services.compliance import expected_factories, factory_expected

    owing, late = account(), account(registered=dt.datetime(2026, 7, 3, 9, 0, tzinfo=WIB))
    assert set(expected_factories(s1)) == {owing}
    assert factory_expected(owing, s1) and not factory_expected(late, s1)
