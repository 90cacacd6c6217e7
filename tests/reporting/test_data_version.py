"""The data version aggregate pages key their caches on: it moves with every report change and every new account."""

from __future__ import annotations

import pytest

from reporting import services
from reporting.models import ReportStatus
from reporting.selectors import reports_data_version
from tests.factories import FactoryAccountFactory
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


def test_the_version_is_three_index_lookups(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert reports_data_version() == "-|None|None"
