"""Uploaded documents: checked by content and size, stored under a generated name outside any
web root (``PRIVATE_MEDIA_ROOT``) and served only through views that check access first.

Use a plain ``FileField(storage=private_storage, upload_to=private_upload_to("nib"))``
on the model, ``validate_pdf`` / ``validate_upload`` in the form, and ``serve_private_file`` in the view.

A file's type is decided by its content: the magic number names a candidate and the type's own library
must then decode it (``siinas.lib.upload_checks``: pypdf, Pillow, zipfile + openpyxl, each under fixed
limits). A file that passes is renamed to the extension of its detected type, so it is stored and
downloaded as what it is (a PDF named ``laporan.exe`` becomes ``laporan.pdf``). Each field lists only
its own allowed types in its refusal. Files are served as attachments with the detected content type;
anything unrecognised is ``application/octet-stream`` (docs/decisions.md, "Uploads (issue 13)").
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from siinas.lib import upload_checks as checks

UPLOAD_TOO_LARGE = gettext_noop("Ukuran berkas melebihi batas %(limit)s MB.")
UPLOAD_NOT_PDF = gettext_noop("Berkas harus berupa dokumen PDF yang valid.")
UPLOAD_EMPTY = gettext_noop("Berkas kosong.")
UPLOAD_TYPE_NOT_ALLOWED = gettext_noop("Jenis berkas tidak diizinkan. Unggah %(types)s.")
UPLOAD_PDF_ENCRYPTED = gettext_noop(
    "Dokumen PDF ini terenkripsi atau dilindungi password, sehingga tidak dapat diperiksa. "
    "Unggah PDF tanpa enkripsi (mis. simpan ulang dengan Cetak ke PDF)."
)
UPLOAD_PDF_ACTIVE_CONTENT = gettext_noop(
    "Dokumen PDF ini berisi JavaScript atau aksi otomatis, yang tidak diterima. "
    "Simpan ulang sebagai PDF biasa (mis. Cetak ke PDF) lalu unggah lagi."
)
UPLOAD_PDF_TOO_COMPLEX = gettext_noop(
    "Dokumen PDF ini terlalu besar strukturnya untuk diperiksa (paling banyak %(pages)s halaman). "
    "Pecah atau simpan ulang dokumen lalu unggah lagi."
)
UPLOAD_IMAGE_INVALID = gettext_noop("Gambar %(type)s rusak atau tidak lengkap.")
UPLOAD_IMAGE_TOO_LARGE = gettext_noop("Resolusi gambar terlalu besar: paling banyak %(megapixels)s megapiksel.")
UPLOAD_XLSX_INVALID = gettext_noop("Berkas bukan lembar kerja Excel (XLSX) yang valid.")
UPLOAD_XLSX_TOO_LARGE = gettext_noop(
    "Lembar kerja XLSX ini terlalu besar atau terlalu padat untuk diperiksa. Kecilkan isinya lalu unggah lagi."
)

ALL_KINDS: tuple[str, ...] = ("pdf", "jpg", "png", "xlsx")  # also the order in which messages list them
LABELS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG", "xlsx": "XLSX"}
EXTENSIONS = {"pdf": ".pdf", "jpg": ".jpg", "png": ".png", "xlsx": ".xlsx"}
UNKNOWN_EXTENSION = ".bin"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"

# Magic numbers: a candidate type, confirmed only by decoding (siinas.lib.upload_checks).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
}


# Serialized under the name of the lazy handle below, so migrations name ``PrivateStorage()`` whatever
# backend ``STORAGES["private"]`` configures.
@deconstructible(path="siinas.lib.uploads.PrivateStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """The local backend of ``STORAGES["private"]``: files under ``PRIVATE_MEDIA_ROOT``, read when first
    used (never baked into migrations).

    No ``base_url``: a stored document has no URL of its own and is streamed by an authorizing view.
    """

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)


class PrivateStorage(LazyObject):
    """The private documents' storage: ``STORAGES["private"]`` (local folder or an S3 bucket, settings
    ``SIINAS_STORAGE``), resolved when first used. Code reads and writes through the Storage API only
    (``open``, ``save``, ``exists``, ``delete``), never a local path, so any backend works
    (docs/scaling.md). Model fields take this handle; migrations name it ``PrivateStorage()``."""

    def _setup(self):
        self._wrapped = storages["private"]

    def deconstruct(self):
        return ("siinas.lib.uploads.PrivateStorage", (), {})

    def reset(self) -> None:
        """Resolve the backend again on next use (tests point PRIVATE_MEDIA_ROOT or STORAGES elsewhere)."""
        storages._storages.pop("private", None)
        self._wrapped = empty


private_storage = PrivateStorage()


@receiver(setting_changed)
def _private_storage_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage.reset()


@deconstructible
class private_upload_to:  # noqa: N801 — used like a function in model fields
    """Generated names only: the client's file name never reaches the disk. The extension is kept only
    when it is one of the accepted types' (the validators above set it to the detected type)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        suffix = {".jpeg": ".jpg"}.get(suffix, suffix)
        return f"{self.folder}/{uuid.uuid4().hex}{suffix if suffix in EXTENSIONS.values() else ''}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.folder == self.folder


def type_not_allowed_message(kinds: tuple[str, ...]) -> str:
    """The refusal of a field that accepts ``kinds``: "Jenis berkas tidak diizinkan. Unggah PDF, JPG atau PNG."."""
    labels = [LABELS[kind] for kind in ALL_KINDS if kind in kinds]
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {_('atau')} {labels[-1]}"
    return _(UPLOAD_TYPE_NOT_ALLOWED) % {"types": listed}


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def check_size(upload, limit_bytes: int | None = None) -> None:
    """Only the size (cheap: nothing is read). ``validate_pdf`` and ``validate_upload`` include it."""
    _check_size(upload, limit_bytes or settings.UPLOAD_MAX_BYTES)


def _check_size(upload, limit_bytes: int) -> None:
    if upload.size == 0:
        raise ValidationError(_(UPLOAD_EMPTY), code="empty")
    if upload.size > limit_bytes:
        raise ValidationError(_(UPLOAD_TOO_LARGE) % {"limit": limit_bytes // (1024 * 1024)}, code="too_large")


def detect_kind(upload) -> str | None:
    """The candidate type named by the first bytes (not proof: see ``validate_upload``)."""
    head = _head(upload)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def _refusal(exc: checks.UploadRefused, kind: str) -> ValidationError:
    reason = exc.reason
    if kind == "pdf":
        if reason == checks.ENCRYPTED:
            return ValidationError(_(UPLOAD_PDF_ENCRYPTED), code="pdf_encrypted")
        if reason == checks.ACTIVE_CONTENT:
            return ValidationError(_(UPLOAD_PDF_ACTIVE_CONTENT), code="pdf_active_content")
        if reason == checks.TOO_COMPLEX:
            return ValidationError(_(UPLOAD_PDF_TOO_COMPLEX) % {"pages": checks.PDF_MAX_PAGES}, code="pdf_too_complex")
        return ValidationError(_(UPLOAD_NOT_PDF), code="not_pdf")
    if kind == "xlsx":
        if reason == checks.ARCHIVE_TOO_LARGE:
            return ValidationError(_(UPLOAD_XLSX_TOO_LARGE), code="xlsx_too_large")
        return ValidationError(_(UPLOAD_XLSX_INVALID), code="xlsx_invalid")
    if reason == checks.TOO_MANY_PIXELS:
        return ValidationError(
            _(UPLOAD_IMAGE_TOO_LARGE) % {"megapixels": checks.IMAGE_MAX_PIXELS // 1_000_000}, code="image_too_large"
        )
    return ValidationError(_(UPLOAD_IMAGE_INVALID) % {"type": LABELS[kind]}, code="image_invalid")


def _inspect(upload, kind: str) -> None:
    try:
        if kind == "pdf":
            upload.seek(0)
            checks.inspect_pdf(upload.read())
        elif kind == "xlsx":
            checks.inspect_xlsx(upload)
        else:
            checks.inspect_image(upload, kind)
    except checks.UploadRefused as exc:
        raise _refusal(exc, kind) from exc
    finally:
        upload.seek(0)


def _name_as(upload, kind: str) -> None:
    """Give the upload the extension of its detected type (stored and later downloaded under it)."""
    stem = PurePosixPath(upload.name or "").stem or "berkas"
    upload.name = f"{stem}{EXTENSIONS[kind]}"


def validate_pdf(upload, *, limit_bytes: int | None = None) -> None:
    """A real PDF: the ``%PDF-`` signature and a parse under limits (pypdf), not the file name.
    Encrypted PDFs and PDFs with JavaScript or automatic actions are refused with their own messages."""
    _check_size(upload, limit_bytes or settings.UPLOAD_MAX_BYTES)
    if detect_kind(upload) != "pdf":
        raise ValidationError(_(UPLOAD_NOT_PDF), code="not_pdf")
    _inspect(upload, "pdf")
    _name_as(upload, "pdf")


def validate_upload(upload, *, kinds: tuple[str, ...] = ALL_KINDS, limit_bytes: int | None = None) -> str:
    """Check size and type by content: the first bytes name a type among ``kinds``, then that type is
    decoded (``siinas.lib.upload_checks``). Returns the detected kind and renames the upload to match it."""
    _check_size(upload, limit_bytes or settings.UPLOAD_MAX_BYTES)
    kind = detect_kind(upload)
    if kind not in kinds:
        raise ValidationError(type_not_allowed_message(kinds), code="type")
    _inspect(upload, kind)
    _name_as(upload, kind)
    return kind


def served_kind(handle) -> str | None:
    """The type of a stored file, for serving: its magic number, and for a ZIP an Excel package in its
    directory (read without decompressing anything). Files stored before issue 13 were checked less."""
    kind = detect_kind(handle)
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            handle.seek(0)
        if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
            kind = None
    return kind


def download_name_for(name: str, kind: str | None) -> str:
    """``name`` with the extension of the detected type (``.bin`` when the type is unknown)."""
    stem = PurePosixPath(name or "").stem or "berkas"
    return f"{stem}{EXTENSIONS.get(kind, UNKNOWN_EXTENSION)}"


def serve_private_file(field_file, *, download_name: str, as_attachment: bool = True) -> FileResponse:
    """Stream a stored document. Call only after the view's access check has passed.

    Uploaded files are always attachments: the browser saves them instead of rendering them in the
    portal's origin. ``as_attachment=False`` is for documents SIINas generated itself (warning letters).
    """
    handle = field_file.open("rb")
    kind = served_kind(handle)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=download_name_for(download_name, kind),
        content_type=CONTENT_TYPES.get(kind, UNKNOWN_CONTENT_TYPE),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
