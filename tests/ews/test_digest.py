"""The weekly early-warning digest: written to the outbox once per week per recipient in scope."""

from __future__ import annotations

import datetime as dt

import pytest

from ews.services import digests_send, signals_refresh
from siinas.celery import app
from siinas.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


@pytest.fixture
def refreshed(material):
    signals_refresh()


def _digests() -> dict[str, OutboxMessage]:
    return {m.recipients[0]: m for m in OutboxMessage.objects.filter(name="ews-digest")}


def test_validators_and_pemda_with_signals_in_scope_get_one_digest(cast, refreshed):
    assert digests_send(today=MONDAY) == 3
    digests = _digests()
    assert set(digests) == {cast.validator_pangan.email, cast.pemda_jabar.email, cast.pemda_kab_bekasi.email}
    # validator_logam has no signal in its divisions; the ministry reads the page, it gets no digest
    message = digests[cast.pemda_kab_bekasi.email]
    assert message.payload["subject"] == "[SIINas] Ringkasan peringatan dini pekan 02-11-2026"
    assert "Ada 2 sinyal peringatan dini aktif" in message.payload["text"]
    assert "/peringatan-dini/" in message.payload["text"] and "/peringatan-dini/" in message.payload["html"]
    assert "Kabupaten Bekasi, Nilai produksi, 2026-S1: skor 29,97 (ambang 20; 3 perusahaan)" in message.payload["text"]
    assert "Kota Surabaya" not in message.payload["text"]
    assert "Kabupaten Bekasi" in message.payload["html"]


def test_a_second_run_in_the_same_week_writes_nothing(cast, refreshed):
    digests_send(today=MONDAY)
    assert digests_send(today=MONDAY + dt.timedelta(days=3)) == 0
    assert OutboxMessage.objects.filter(name="ews-digest").count() == 3


def test_the_next_week_gets_its_own_digest(cast, refreshed):
    digests_send(today=MONDAY)
    assert digests_send(today=MONDAY + dt.timedelta(days=7)) == 3
    assert OutboxMessage.objects.filter(name="ews-digest").count() == 6


def test_the_digest_is_sent_on_monday_at_07_wib():
    entry = app.conf.beat_schedule["ews-weekly-digest"]
    assert entry["task"] == "ews.send_weekly_digest"
    assert (entry["schedule"].hour, entry["schedule"].minute, entry["schedule"].day_of_week) == ({7}, {0}, {1})


def test_nobody_gets_a_digest_without_active_signals(cast, material):
    assert digests_send(today=MONDAY) == 0
    assert not OutboxMessage.objects.filter(name="ews-digest").exists()
