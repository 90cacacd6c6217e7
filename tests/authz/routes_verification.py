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
    Route("verification:report-timeline", allow=frozenset({"company", "verifier", "validator", "admin"}),
          hide=frozenset({"other_company", "validator_other"}), setup=submitted),
    Route("verification:reporting-rate", allow=frozenset({"verifier", "validator", "validator_other", "admin", "pemda_prov", "pemda_kab"}),
          setup=lambda cast: submitted(cast) and {}),
]  # fmt: skip
