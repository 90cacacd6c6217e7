"""Reference data: loaded from data/, complete, idempotent."""

import pytest

from siinas.core.models import GdpShare, Holiday, Kbli, Region
from siinas.core.services import reference_data_load


@pytest.mark.django_db
def test_every_region_and_kbli_code_is_loaded(reference_data):
    assert Region.objects.filter(level="provinsi").count() == 38
    assert Region.objects.exclude(level="provinsi").count() == 514
    assert Kbli.objects.count() == 749
    assert Kbli.objects.filter(level="golongan_pokok").count() == 24


@pytest.mark.django_db
def test_a_kabupaten_knows_its_province_and_a_kbli_its_division(reference_data):
    bekasi = Region.objects.get(pk="32.16")
    assert bekasi.name == "Kabupaten Bekasi"
    assert bekasi.province.name == "Jawa Barat"
    assert Kbli.objects.get(pk="10110").division_id == "10"
    assert Kbli.objects.get(pk="10110").parent_id == "1011"


@pytest.mark.django_db
def test_gdp_share_groups_carry_their_kbli_divisions(reference_data):
    food = GdpShare.objects.get(period="2022-Q1", subsector_no=2)
    assert sorted(food.divisions.values_list("code", flat=True)) == ["10", "11"]


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_data):
    before = (Region.objects.count(), Kbli.objects.count(), GdpShare.objects.count(), Holiday.objects.count())
    result = reference_data_load()
    after = (Region.objects.count(), Kbli.objects.count(), GdpShare.objects.count(), Holiday.objects.count())
    assert before == after
    assert result.holidays == 0


@pytest.mark.django_db
def test_national_holidays_are_loaded_for_working_day_counts(reference_data):
    from datetime import date

    from siinas.core.selectors import add_working_days

    Holiday.objects.update_or_create(date=date(2026, 8, 17), defaults={"name": "Hari Kemerdekaan"})
    # Friday 14 Aug 2026 + 1 working day skips the weekend and Monday 17 August.
    assert add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


@pytest.mark.django_db
def test_holidays_are_loaded_around_the_jakarta_year_on_new_years_eve_in_utc(reference_data):
    import datetime as dt

    import time_machine

    # 1 January 2027 00:30 WIB is 31 December 2026 17:30 UTC; travelling to a UTC datetime also sets TZ=UTC,
    # so date.today() would say 2026. The calendar must cover the year after the Jakarta year.
    with time_machine.travel(dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC), tick=False):
        reference_data_load()
    assert Holiday.objects.filter(date__year=2028).exists()

