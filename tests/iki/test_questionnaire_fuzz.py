"""Random input to the IKI questionnaire, through the real pages (issue 12, "Input").

The company answers validly, then Hypothesis posts garbage to the edit page (and to the new-response
page, whose line is already answered): text with control characters and NULs, huge and negative
numbers, decimals with many digits, Indonesian-formatted numbers, empty and very long strings, junk
factor codes and unknown keys. Whatever is posted: no 5xx; refused input is refused with a message
and leaves the stored answers exactly as they were; accepted input holds no control character.
"""

from __future__ import annotations

import os

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki.models import IkiResponse
from siinas.lib.control_characters import CONTROL_CHARACTERS
from tests.garbage import GARBAGE, TEXT
from tests.helpers import login
from tests.iki.conftest import answers

pytestmark = pytest.mark.django_db

FACTORS = ("orders_factors", "production_factors", "stock_factors", "outlook_factors")
FIELDS = sorted(set(answers()) - {"kbli2"})


@st.composite
def garbage_answers(draw) -> dict:
    data = answers()
    del data["kbli2"]  # not on the edit page; sent anyway below, sometimes
    for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=6, unique=True)):
        data[name] = draw(st.lists(GARBAGE, max_size=3)) if name in FACTORS else draw(GARBAGE)
    if draw(st.booleans()):
        data[draw(TEXT)] = draw(GARBAGE)
    if draw(st.booleans()):
        data["kbli2"] = draw(GARBAGE)
    return data


def _stored(pk: int) -> dict:
    return model_to_dict(IkiResponse.objects.get(pk=pk), exclude=["power_of_attorney"])


def _strings(stored: dict) -> list[str]:
    return [s for v in stored.values() for s in (v if isinstance(v, list) else [v]) if isinstance(s, str)]


def test_garbage_in_the_questionnaire_gives_no_server_error_and_keeps_the_last_valid_answers(client, cast, window_open):
    login(client, cast.company_a)
    assert client.post(reverse("iki:response-create"), answers()).status_code == 302
    response = IkiResponse.objects.get()
    edit = reverse("iki:response-edit", kwargs={"pk": response.pk})
    valid = {k: v for k, v in answers().items() if k != "kbli2"}

    @settings(max_examples=10 * int(os.environ.get("SIINAS_FUZZ_EXAMPLES", "4")), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(garbage=garbage_answers(), to_create=st.booleans(), query=st.tuples(TEXT, GARBAGE))
    def garbage_keeps_the_answers(garbage, to_create, query):
        assert client.post(edit, valid).status_code == 302  # the valid answers first
        before = _stored(response.pk)

        page = client.post(reverse("iki:response-create") if to_create else edit, garbage)
        assert page.status_code < 500, garbage
        assert IkiResponse.objects.count() == 1  # one response per line, whatever was posted
        after = _stored(response.pk)
        assert not any(CONTROL_CHARACTERS.search(s) for s in _strings(after)), garbage
        if page.status_code == 302:  # accepted: it is the new valid answer
            assert not to_create
        else:
            assert page.status_code == 200 and page.context["form"].errors, garbage  # refused with a message
            assert after == before, garbage  # the last valid answers survive
        for url in (edit, reverse("iki:response-create"), reverse("iki:response-detail", kwargs={"pk": response.pk})):
            assert client.get(url, dict([query])).status_code == 200

    garbage_keeps_the_answers()
