"""The demo data loads through the real services, and loading it twice changes nothing."""

from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from eservice import demo
from eservice.directory_selectors import directory_search
from eservice.models import Application, DirectoryProduct, Inquiry, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_a_published_directory(reference_data):
    cast = accounts_demo.DemoCast()
    accounts_demo.seed(cast)
    demo.seed(cast)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {Status.DRAFT, Status.SUBMITTED, Status.NEEDS_REVISION, Status.APPROVED}
    assert {p.display_name for p in directory_search()} == {
        "PT Indo Pangan",
        "PT Maju Tekstil Nusantara",
        "CV Sinar Logam",
    }
    assert [p.display_name for p in directory_search(q="Prototipe")] == []
    assert Inquiry.objects.get().messages.count() == 2

    demo.seed(cast)
    assert Application.objects.count() == 7 and DirectoryProduct.objects.count() == 6
