"""Uploaded documents: checked by content and size, stored under a generated name outside any
web root (``PRIVATE_MEDIA_ROOT``) and served only through views that check access first.

Use a plain ``FileField(storage=private_storage, upload_to=private_upload_to("nib"))``
on the model, ``validate_pdf`` / ``validate_upload`` in the form, and ``serve_private_file`` in the view.
"""

from __future__ import annotations

import io
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

UPLOAD_TOO_LARGE = gettext_noop("Ukuran berkas melebihi batas %(limit)s MB.")
UPLOAD_NOT_PDF = gettext_noop("Berkas harus berupa dokumen PDF yang valid.")
UPLOAD_EMPTY = gettext_noop("Berkas kosong.")
UPLOAD_TYPE_NOT_ALLOWED = gettext_noop("Jenis berkas tidak diizinkan. Unggah PDF, JPG, PNG atau XLSX.")

# Magic numbers of the document types the portal accepts.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
}


@deconstructible(path="siinas.lib.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File storage under ``PRIVATE_MEDIA_ROOT``, read when first used (never baked into migrations).

    No ``base_url``: a stored document has no URL of its own and is streamed by an authorizing view.
    """

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def reset(self) -> None:
        """Forget the resolved location (tests point PRIVATE_MEDIA_ROOT at a fresh folder)."""
        for name in ("base_location", "location"):
            self.__dict__.pop(name, None)


private_storage = PrivateStorage()


@deconstructible
class private_upload_to:  # noqa: N801 — used like a function in model fields
    """Generated names only: the client's file name never reaches the disk."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.folder == self.folder


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _check_size(upload, limit_bytes: int) -> None:
    if upload.size == 0:
        raise ValidationError(_(UPLOAD_EMPTY), code="empty")
    if upload.size > limit_bytes:
        raise ValidationError(_(UPLOAD_TOO_LARGE) % {"limit": limit_bytes // (1024 * 1024)}, code="too_large")


def detect_kind(upload) -> str | None:
    head = _head(upload)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def validate_pdf(upload, *, limit_bytes: int | None = None) -> None:
    """A real PDF: the ``%PDF-`` signature and a successful parse (pypdf), not the file name."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _check_size(upload, limit_bytes or settings.UPLOAD_MAX_BYTES)
    if detect_kind(upload) != "pdf":
        raise ValidationError(_(UPLOAD_NOT_PDF), code="not_pdf")
    try:
        upload.seek(0)
        source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else io.BytesIO(upload.read())
        reader = PdfReader(source)
        if len(reader.pages) < 1:
            raise ValidationError(_(UPLOAD_NOT_PDF), code="not_pdf")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(_(UPLOAD_NOT_PDF), code="not_pdf") from exc
    finally:
        upload.seek(0)


def validate_upload(upload, *, kinds: tuple[str, ...] = ("pdf", "png", "jpg", "xlsx"), limit_bytes: int | None = None) -> str:
    """Check size and type by content; a PDF is also parsed. Returns the detected kind."""
    _check_size(upload, limit_bytes or settings.UPLOAD_MAX_BYTES)
    kind = detect_kind(upload)
    if kind not in kinds:
        raise ValidationError(_(UPLOAD_TYPE_NOT_ALLOWED), code="type")
    if kind == "pdf":
        validate_pdf(upload, limit_bytes=limit_bytes)
    return kind


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def serve_private_file(field_file, *, download_name: str, as_attachment: bool = False) -> FileResponse:
    """Stream a stored document. Call only after the view's access check has passed."""
    handle = field_file.open("rb")
    kind = detect_kind(handle) or "pdf"
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=download_name, content_type=CONTENT_TYPES.get(kind, "application/octet-stream")
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
