"""The data version aggregate pages key their caches on: it moves with every status change, new report and
new account, and not with a draft save (companies filing must not empty the officers' caches)."""

from __future__ import annotations

import pytest

from reporting import services
from reporting.models import Report, ReportStatus
from reporting.selectors import reports_data_version
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input
from tests.reporting.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_version_moves_with_a_status_move_a_new_report_and_a_new_account(cast):
    report = ReportFactory(factory=cast.factory_a, status=ReportStatus.SUBMITTED)
    before = reports_data_version()
    assert reports_data_version() == before  # reading changes nothing
    services.report_verify(actor=cast.verifier, report=report)
    after_move = reports_data_version()
    assert after_move != before
    ReportFactory(factory=cast.factory_b)
    after_report = reports_data_version()
    assert after_report != after_move
    FactoryAccountFactory()
    assert reports_data_version() != after_report


def test_a_draft_save_does_not_move_the_version(cast, client):
    report = ReportFactory(factory=cast.factory_a)
    before = reports_data_version()
    login(client, cast.company_a)
    response = post_section(client, report, "investasi", *section_input("investasi"))
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).lock_version > report.lock_version  # the save happened
    assert reports_data_version() == before


def test_the_version_is_three_primary_key_lookups_in_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert reports_data_version() == "None|None|None"
