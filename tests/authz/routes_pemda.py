"""Pemda routes. The cast's factory_a is Besar in Kab. Bekasi (Jawa Barat): under the province
(pemda_prov = pemda_jabar), not the kabupaten (pemda_kab = pemda_kab_bekasi), which gets 404 for it.
Submissions and documents belong to the Jawa Barat office: the Bekasi office gets 404; the ministry
(admin, verifier) reads what was sent and gets 403 on the office's own actions.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz.table import Route

PEMDA = frozenset({"pemda_prov", "pemda_kab"})
MINISTRY = frozenset({"admin", "verifier"})


def _pdf_bytes() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf_bytes()


def _submission(cast, *, submitted: bool = False, category: str = "perwilayahan") -> dict:
    from pemda.models import Submission

    year = timezone.localdate().year - 1
    submission, _ = Submission.objects.get_or_create(
        region_id="32",
        category=category,
        year=year,
        semester=2,
        defaults={"created_by": cast.pemda_jabar, "text": "Uraian kawasan peruntukan industri."},
    )
    if submitted and submission.is_draft:
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = cast.pemda_jabar
        submission.save()
    return {"pk": submission.pk}


def _sent(cast) -> dict:
    return _submission(cast, submitted=True, category="hambatan")


def _draft(cast) -> dict:
    from pemda.models import Submission

    pk = _submission(cast)["pk"]
    Submission.objects.filter(pk=pk).update(status=Submission.Status.DRAFT, submitted_at=None)
    return {"pk": pk}


def _attachment(cast, *, submitted: bool) -> dict:
    from pemda.models import Attachment

    pk = (_sent if submitted else _draft)(cast)["pk"]
    attachment = Attachment(submission_id=pk, title="Peta", kind="pdf", size=len(PDF), uploaded_by=cast.pemda_jabar)
    attachment.file.save("peta.pdf", SimpleUploadedFile("peta.pdf", PDF), save=False)
    attachment.save()
    return {"pk": attachment.pk}


def _note(cast) -> dict:
    from pemda.models import MonitoringNote

    note = MonitoringNote.objects.create(
        region_id="32", factory=cast.factory_a, kind="pengingat", message="Mohon segera melapor.",
        sent_to=cast.factory_a.email, sent_by=cast.pemda_jabar,
    )
    return {"pk": note.pk}


def _document(cast) -> dict:
    from pemda.models import RegionalDocument

    document = RegionalDocument.objects.create(
        region_id="32", kind="publikasi", number=f"PUB/32/{timezone.now():%Y%m%d%H%M%S%f}", title="Publikasi",
        content={"tables": []}, created_by=cast.pemda_jabar,
    )
    return {"pk": document.pk}


ROUTES = [
    Route("pemda:dashboard", allow=PEMDA),
    Route("pemda:dashboard-kbli-rates", allow=PEMDA),
    Route("pemda:company-list", allow=PEMDA),
    Route("pemda:company-export", allow=PEMDA, setup=lambda cast: {"fmt": "csv"}),
    Route("pemda:company-detail", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=lambda cast: {"pk": cast.factory_a.pk}),
    Route(
        "pemda:note-send", method="POST", allow={"pemda_prov"}, hide={"pemda_kab"},
        setup=lambda cast: {"pk": cast.factory_a.pk}, data=lambda cast: {"kind": "pengingat", "message": "Mohon melapor."},
    ),
    Route("pemda:report-monitor", allow=PEMDA),
    Route("pemda:note-detail", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=_note),
    Route("pemda:submission-list", allow=PEMDA),
    Route(
        "pemda:submission-create", method="POST", allow=PEMDA,
        data=lambda cast: {"category": "investasi", "year": timezone.localdate().year - 1, "semester": 1},
    ),
    Route("pemda:submission-detail", allow={"pemda_prov"} | MINISTRY, hide={"pemda_kab"}, setup=_sent),
    Route("pemda:submission-edit", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=_draft),
    Route("pemda:submission-generate", method="POST", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=_draft),
    Route("pemda:submission-submit", method="POST", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=_draft),
    Route(
        "pemda:attachment-upload", method="POST", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=_draft,
        data=lambda cast: {"title": "Peta", "file": SimpleUploadedFile("peta.pdf", PDF)},
    ),
    Route("pemda:attachment-download", allow={"pemda_prov"} | MINISTRY, hide={"pemda_kab"}, setup=lambda cast: _attachment(cast, submitted=True)),
    Route("pemda:attachment-delete", method="POST", allow={"pemda_prov"}, hide={"pemda_kab"}, setup=lambda cast: _attachment(cast, submitted=False)),
    Route("pemda:indicators", allow=PEMDA),
    Route("pemda:indicator-export", allow=PEMDA, setup=lambda cast: {"fmt": "xlsx"}),
    Route("pemda:document-create", method="POST", allow=PEMDA, data=lambda cast: {"kind": "publikasi", "title": "Publikasi semester"}),
    Route("pemda:document-detail", allow={"pemda_prov"} | MINISTRY, hide={"pemda_kab"}, setup=_document),
    Route("pemda:document-pdf", allow={"pemda_prov"} | MINISTRY, hide={"pemda_kab"}, setup=_document),
    Route("pemda:ministry-overview", allow=MINISTRY),
]
