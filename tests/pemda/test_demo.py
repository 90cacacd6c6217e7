"""The Pemda demo: a couple of submissions for pemda_jabar, loadable twice without duplicates."""

from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from accounts.demo import DemoCast
from pemda import demo
from pemda.models import MonitoringNote, RegionalDocument, Submission

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_jawa_barat_office_a_sent_and_a_draft_submission(reference_data, django_capture_on_commit_callbacks):
    cast = DemoCast()
    accounts_demo.seed(cast)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(cast)
        demo.seed(cast)
    submissions = Submission.objects.filter(region_id="32")
    assert sorted(submissions.values_list("category", "status")) == [("perwilayahan", "konsep"), ("rekap_industri", "terkirim")]
    assert submissions.get(category="perwilayahan").figures.count() == 3
    assert MonitoringNote.objects.filter(region_id="32").count() == 1
    assert RegionalDocument.objects.filter(region_id="32").count() == 1
