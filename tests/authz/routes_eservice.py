"""E-services and business matching. Applications belong to company_a (factory_a, KBLI 10110):
e-Licensing and IOMKI are reviewed by validators, so validator_pangan is in scope, validator_logam
and the verifier (who reviews other services) get 404; the admin watches but does not decide."""

from __future__ import annotations

from eservice.models import Status
from tests.authz.table import Route
from tests.eservice import builders as b

COMPANIES = frozenset({"company", "other_company"})
QUEUE = frozenset({"verifier", "validator", "validator_other", "admin"})
# Pemda officers pass the gate of the shared pages but see only IOMKI: an e-Licensing is not found.
OUT_OF_SCOPE = frozenset({"other_company", "validator_other", "verifier", "pemda_prov", "pemda_kab"})


def _app(status: str, service: str = "e-licensing"):
    def setup(cast) -> dict:
        return {
            "pk": b.application_in(
                status, user=cast.company_a, service=service, reviewer=cast.validator_pangan
            ).pk
        }

    return setup


def _document(cast) -> dict:
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    return {"pk": application.pk, "document_pk": application.documents.first().pk}


def _supplier(cast) -> dict:
    return {"pk": b.published_supplier(cast.company_a).pk}


def _product(cast) -> dict:
    return {"pk": b.own_product(cast.company_a).pk}


def _thread(cast) -> dict:
    return {"pk": b.thread_between(cast.company_a, b.third_company()).pk}


ROUTES = [
    Route("eservice:application-list", allow=COMPANIES),
    Route("eservice:application-create", allow=COMPANIES, setup=lambda cast: {"service": "e-licensing"}),
    Route(
        "eservice:application-detail",
        allow=frozenset({"company", "validator", "admin"}),
        hide=OUT_OF_SCOPE,
        setup=_app(Status.SUBMITTED),
    ),
    Route(
        "eservice:application-edit",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_app(Status.DRAFT),
    ),
    Route(
        "eservice:application-submit",
        method="POST",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_app("lengkap"),
    ),
    Route(
        "eservice:application-discard",
        method="POST",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_app("lengkap"),
    ),
    Route(
        "eservice:document-upload",
        method="POST",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_app(Status.DRAFT),
        data=lambda cast: {"kind": "surat_permohonan", "file": b.pdf_upload()},
    ),
    Route(
        "eservice:document-download",
        allow=frozenset({"company", "validator", "admin"}),
        hide=OUT_OF_SCOPE,
        setup=_document,
    ),
    Route(
        "eservice:comment-add",
        method="POST",
        allow=frozenset({"company", "validator"}),
        hide=OUT_OF_SCOPE,
        setup=_app(Status.SUBMITTED),
        data=lambda cast: {"body": "Mohon dipercepat."},
        note="the admin sees the application but does not take part in the review: 403",
    ),
    Route(
        "eservice:decision-letter",
        allow=frozenset({"company", "validator", "admin"}),
        hide=OUT_OF_SCOPE,
        setup=_app(Status.APPROVED),
    ),
    Route(
        "eservice:weekly-report-create",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_app(Status.APPROVED, service="iomki"),
    ),
    Route("eservice:pemda-iomki", allow=frozenset({"pemda_prov", "pemda_kab"})),
    Route("eservice:review-queue", allow=QUEUE),
    Route("eservice:review-queue-export", allow=QUEUE),
    Route(
        "eservice:application-start-review",
        method="POST",
        allow=frozenset({"validator"}),
        hide=frozenset({"validator_other", "verifier"}),
        setup=_app(Status.SUBMITTED),
    ),
    Route(
        "eservice:application-take-over",
        method="POST",
        allow=frozenset({"validator"}),
        hide=frozenset({"validator_other", "verifier"}),
        setup=_app(Status.IN_REVIEW),
    ),
    Route(
        "eservice:application-return",
        method="POST",
        allow=frozenset({"validator"}),
        hide=frozenset({"validator_other", "verifier"}),
        setup=_app(Status.IN_REVIEW),
        data=lambda cast: {"note": "Lengkapi kontrak."},
    ),
    Route(
        "eservice:application-decide",
        allow=frozenset({"validator"}),
        hide=frozenset({"validator_other", "verifier"}),
        setup=_app(Status.IN_REVIEW),
    ),
    Route("eservice:directory", public=True),
    Route("eservice:directory-detail", public=True, setup=_supplier),
    Route(
        "eservice:inquiry-create",
        allow=frozenset({"other_company"}),
        setup=_supplier,
        note="company_a is the supplier itself: writing to oneself is refused (403)",
    ),
    Route("eservice:profile-edit", allow=COMPANIES),
    Route("eservice:product-create", allow=COMPANIES),
    Route(
        "eservice:product-edit",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_product,
    ),
    Route(
        "eservice:product-delete",
        method="POST",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_product,
    ),
    Route("eservice:suggestions", allow=COMPANIES),
    Route("eservice:inbox", allow=COMPANIES),
    Route("eservice:thread", allow=frozenset({"company"}), hide=frozenset({"other_company"}), setup=_thread),
    Route(
        "eservice:thread-reply",
        method="POST",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=_thread,
        data=lambda cast: {"body": "Baik, kami tunggu."},
    ),
]
