"""Verification routes: who gets through (tests/authz/table.py).

Report routes run on a report of factory_a (KBLI 10110, division 10): validator_pangan sees it,
validator_logam gets 404 exactly as if it did not exist.
"""

import itertools

from tests.authz.table import Route

ADMIN = frozenset({"admin"})
VERIFIERS = frozenset({"verifier", "admin"})
_years = itertools.count(2040)


def _report(cast, status: str) -> dict:
    from tests.reporting.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=next(_years), number=1)
    return {"pk": ReportFactory(factory=cast.factory_a, period=period, status=status).pk}


def submitted(cast) -> dict:
    return _report(cast, "terkirim")


def verified(cast) -> dict:
    return _report(cast, "terverifikasi")


def sent_letter(cast) -> dict:
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.reporting.factories import PeriodFactory
    from verification.models import WarningLetter

    year = next(_years)
    letter = WarningLetter(
        factory=cast.factory_a, period=PeriodFactory(year=year, number=1), level="SP1", number=f"0001/SP1/PUSDATIN/IX/{year}",
        issued_on=dt.date(year, 9, 1), deadline=dt.date(year, 10, 1), sent_at=timezone.now(),
    )  # fmt: skip
    letter.pdf.save("sp1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"pk": letter.pk}


ROUTES = [
    Route("verification:team-list", allow=ADMIN),
    Route("verification:team-member-edit", allow=ADMIN, setup=lambda cast: {"pk": cast.validator_logam.pk}),
    Route("verification:verifier-queue", allow=VERIFIERS),
    Route("verification:validator-queue", allow=frozenset({"validator", "validator_other", "admin"})),
    Route("verification:review", allow=frozenset({"verifier", "validator", "admin"}), hide=frozenset({"validator_other"}), setup=submitted),
    Route("verification:review-claim", method="POST", allow=VERIFIERS, hide=frozenset({"validator_other"}), setup=submitted,
          note="the validator sees a submitted report but may not act on it before Pusdatin: 403"),
    Route("verification:review-release", method="POST", allow=frozenset({"verifier", "validator", "admin"}),
          hide=frozenset({"validator_other"}), setup=submitted),
    Route("verification:review-verify", method="POST", allow=VERIFIERS, setup=submitted),
    Route("verification:review-validate", method="POST", allow=frozenset({"validator", "admin"}),
          hide=frozenset({"validator_other"}), setup=verified),
    Route("verification:review-return", method="POST", allow=VERIFIERS, hide=frozenset({"validator_other"}), setup=submitted,
          data=lambda cast: {"return_produksi": "on", "comment_produksi": "Jumlah produksi melebihi kapasitas."}),
    Route("verification:reporting-rate", allow=frozenset({"verifier", "validator", "validator_other", "admin", "pemda_prov", "pemda_kab"}),
          setup=lambda cast: submitted(cast) and {}),
    Route("verification:letter-list", allow=frozenset({"company", "other_company", "verifier", "admin"}),
          note="a company lists only its own letters (test_letters)"),
    Route("verification:letter-download", allow=frozenset({"company", "verifier", "admin"}), hide=frozenset({"other_company"}),
          setup=sent_letter),
    Route("verification:sanction-list", allow=VERIFIERS),
]  # fmt: skip
