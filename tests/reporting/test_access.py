"""reports_visible_to: each role sees exactly the reports of its scope, never a draft of someone else."""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts.models import Scale
from reporting.access import can_edit, get_report_for_user_or_404, reports_visible_to
from reporting.models import ReportStatus
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory, company_user
from tests.reporting.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(cast):
    kecil_bekasi = FactoryAccountFactory(
        region=Region.objects.get(pk="32.16"), scale=Scale.KECIL, kbli_codes=["10110"], name="Pabrik Kecil Bekasi"
    )
    return {
        "a_draft": ReportFactory(factory=cast.factory_a, status=ReportStatus.DRAFT),
        "a_sent": ReportFactory(factory=cast.factory_a, status=ReportStatus.SUBMITTED, period__number=2, period__year=2025),
        "b_draft": ReportFactory(factory=cast.factory_b, status=ReportStatus.DRAFT, report_type="industri_produksi_kecil"),
        "b_sent": ReportFactory(
            factory=cast.factory_b, status=ReportStatus.VERIFIED, report_type="industri_produksi_kecil", period__year=2025
        ),
        "kecil_sent": ReportFactory(factory=kecil_bekasi, status=ReportStatus.SUBMITTED),
    }


def _visible(user, reports):
    ids = set(reports_visible_to(user).values_list("pk", flat=True))
    return {name for name, report in reports.items() if report.pk in ids}


def test_a_company_sees_its_own_reports_drafts_included(cast, reports):
    assert _visible(cast.company_a, reports) == {"a_draft", "a_sent"}
    assert _visible(cast.company_b, reports) == {"b_draft", "b_sent"}


def test_a_second_user_of_the_same_factory_account_sees_the_same_reports(cast, reports):
    colleague = company_user(cast.factory_a, "indopangan_staf")
    assert _visible(colleague, reports) == {"a_draft", "a_sent"}


def test_verifier_and_admin_see_every_submitted_report_but_no_draft(cast, reports):
    expected = {"a_sent", "b_sent", "kecil_sent"}
    assert _visible(cast.verifier, reports) == expected
    assert _visible(cast.admin, reports) == expected


def test_a_validator_sees_submitted_reports_of_its_kbli_divisions_only(cast, reports):
    assert _visible(cast.validator_pangan, reports) == {"a_sent", "kecil_sent"}
    assert _visible(cast.validator_logam, reports) == {"b_sent"}


def test_a_factory_with_two_kbli_lines_in_the_divisions_appears_once(cast, reports):
    cast.factory_a.kbli.add("10750")
    assert reports_visible_to(cast.validator_pangan).filter(pk=reports["a_sent"].pk).count() == 1


def test_pemda_sees_submitted_reports_under_its_authority(cast, reports):
    # Jawa Barat: the Besar factory in its province; Kabupaten Bekasi: the Kecil one inside it.
    assert _visible(cast.pemda_jabar, reports) == {"a_sent"}
    assert _visible(cast.pemda_kab_bekasi, reports) == {"kecil_sent"}


def test_upp_kl_and_anonymous_see_no_report(cast, reports):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(cast.upp, reports) == set()
    assert _visible(cast.kl, reports) == set()
    assert _visible(AnonymousUser(), reports) == set()


def test_a_report_outside_the_scope_is_not_found(cast, reports):
    with pytest.raises(Http404):
        get_report_for_user_or_404(cast.company_b, reports["a_sent"].pk)
    with pytest.raises(Http404):
        get_report_for_user_or_404(cast.verifier, reports["a_draft"].pk)
    assert get_report_for_user_or_404(cast.company_a, reports["a_draft"].pk) == reports["a_draft"]


def test_only_the_owner_edits_and_only_a_draft_or_returned_report(cast, reports):
    assert can_edit(cast.company_a, reports["a_draft"])
    assert not can_edit(cast.company_a, reports["a_sent"])
    assert not can_edit(cast.company_b, reports["a_draft"])
    assert not can_edit(cast.admin, reports["a_draft"])
    reports["a_sent"].status = ReportStatus.RETURNED
    assert can_edit(cast.company_a, reports["a_sent"])
