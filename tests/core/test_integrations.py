"""Contract tests for external systems: every implementation of a Protocol must pass them."""

import pytest

from siinas.integrations.oss import NibRecord, OfflineOss, OssClient, get_oss


@pytest.fixture(params=["offline"])
def oss(request) -> OssClient:
    return get_oss() if request.param == "offline" else None


def test_the_configured_client_satisfies_the_protocol(oss):
    assert isinstance(oss, OssClient)


@pytest.mark.django_db
def test_a_known_nib_returns_its_company_and_licences(oss):
    record = oss.lookup_nib("0233010001824")
    assert isinstance(record, NibRecord)
    assert record.company_name == "PT Indo Pangan"
    assert {lic.scale for lic in record.licences} == {"besar", "menengah"}


@pytest.mark.django_db
def test_an_unknown_or_malformed_nib_returns_none(oss):
    assert oss.lookup_nib("1111111111111") is None
    assert oss.lookup_nib("12ab") is None


@pytest.mark.django_db
def test_offline_client_also_knows_companies_already_registered(cast, tmp_path):
    client = OfflineOss(seed_file=tmp_path / "none.csv")
    record = client.lookup_nib(cast.factory_b.company.nib)
    assert record is not None and record.company_name == "CV Logam Surabaya"
