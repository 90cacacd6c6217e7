"""What an upload really is: each accepted type decoded by its own library, under fixed limits.

``siinas.lib.uploads`` is the public side (sizes, messages, storage, serving); this module holds the three
inspectors it calls once the magic number has named a candidate type. Each raises ``UploadRefused`` with
a reason code that ``uploads`` turns into the field's message. The limits are constants, the same on every
machine, so a given file always gets the same answer (docs/decisions.md, "Uploads (issue 13)").

- **PDF** (pypdf): refused when encrypted, when any object carries JavaScript or an automatic action
  (``/JS``, ``/JavaScript``, ``/AA``, an ``/OpenAction`` or other action of type ``/JavaScript`` or
  ``/Launch``, an XFA form), when it has more than ``PDF_MAX_PAGES`` pages or ``PDF_MAX_OBJECTS`` objects,
  or when reading it would take more than ``PDF_MAX_READS`` reads or ``PDF_MAX_DECODED_BYTES`` of
  decompressed object and cross-reference streams. Reads are counted, not timed: pypdf's parser costs
  about 1–3.5 µs per read whatever the input, so the read budget bounds the time deterministically.
- **PNG/JPG** (Pillow): the declared size must be at most ``IMAGE_MAX_PIXELS``; then ``verify()`` and a
  full ``load()`` from a fresh open (truncated or corrupt data fails there).
- **XLSX** (zipfile, then openpyxl read-only): the ZIP directory is checked before anything is
  decompressed (entries, total size, per-entry compression ratio, no executable or macro members), the
  package must declare an Excel workbook (not a macro-enabled one), and openpyxl must open it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePosixPath
from xml.etree import ElementTree

MB = 1024 * 1024

PDF_MAX_PAGES = 2_000
PDF_MAX_OBJECTS = 40_000
PDF_MAX_READS = 2_000_000
PDF_MAX_DECODED_BYTES = 64 * MB  # all object and cross-reference streams of one file, decompressed
PDF_MAX_STREAM_DECODED_BYTES = 16 * MB  # one such stream

IMAGE_MAX_PIXELS = 40_000_000  # an A4 page scanned at 600 dpi is 35 megapixels

XLSX_MAX_ENTRIES = 1_000
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * MB
XLSX_MAX_RATIO = 100  # uncompressed/compressed, for members larger than XLSX_RATIO_FROM_BYTES
XLSX_RATIO_FROM_BYTES = 1 * MB
XLSX_MAX_CONTENT_TYPES_BYTES = 1 * MB
# What openpyxl parses on opening, even read-only: every XML part but the worksheets (shared strings,
# styles, workbook, themes, chart sheets…). openpyxl parses about 1.6 MB per second.
XLSX_MAX_PARSED_BYTES = 6 * MB
XLSX_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# Members an Excel workbook never holds: programs, scripts, Java classes and VBA macros.
XLSX_FORBIDDEN_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar", ".class", ".sh",
)
XLSX_FORBIDDEN_NAMES = ("vbaproject.bin", "meta-inf/manifest.mf")


class UploadRefused(Exception):
    """The file is not an acceptable instance of its type; ``reason`` names why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Reasons, mapped to messages in siinas.lib.uploads.
INVALID = "invalid"
ENCRYPTED = "encrypted"
ACTIVE_CONTENT = "active_content"
TOO_COMPLEX = "too_complex"
TOO_MANY_PIXELS = "too_many_pixels"
ARCHIVE_TOO_LARGE = "archive_too_large"


# --- PDF ------------------------------------------------------------------------------------------------

ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA"})
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


_STREAM_LIMITS = dict.fromkeys(
    (
        "zlib_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "array_based_stream_maximum_output_length",
        "brotli_maximum_output_length",
    ),
    PDF_MAX_STREAM_DECODED_BYTES,
)


class _BudgetExceeded(BaseException):
    """Raised inside pypdf when the read budget is spent. A ``BaseException`` on purpose: pypdf recovers
    from damaged files with ``except Exception`` in places, and must not recover from this."""


class _Budget:
    def __init__(self) -> None:
        self.reads = PDF_MAX_READS
        self.decoded = PDF_MAX_DECODED_BYTES
        self.exceeded = False

    def read(self) -> None:
        self.reads -= 1
        if self.reads < 0:
            self.exceeded = True
            raise _BudgetExceeded

    def decode(self, size: int) -> None:
        self.decoded -= size
        if self.decoded < 0:
            self.exceeded = True
            raise _BudgetExceeded


_BUDGET: ContextVar[_Budget | None] = ContextVar("siinas_pdf_budget", default=None)


class MeteredBytesIO(io.BytesIO):
    """A ``BytesIO`` whose reads (and, when made from decompressed stream data, whose size) are charged
    to the PDF budget of the current check. Outside a check it is a plain ``BytesIO``."""

    def __init__(self, initial_bytes=b"", *args, **kwargs):
        super().__init__(initial_bytes, *args, **kwargs)
        budget = _BUDGET.get()
        if budget is not None and initial_bytes:
            budget.decode(len(initial_bytes))

    def read(self, size: int | None = -1, /) -> bytes:
        budget = _BUDGET.get()
        if budget is not None:
            budget.read()
        return super().read(size)


def _meter_pypdf() -> None:
    """pypdf parses the object and cross-reference streams it decompresses through ``BytesIO`` objects it
    makes in ``pypdf._reader``; give it the metered kind so that parsing is charged too. (Checked by
    ``tests/core/test_uploads_corpus.py::test_a_pdf_whose_object_stream_is_too_costly_is_refused``.)"""
    import pypdf._reader as reader_module

    if reader_module.BytesIO is not MeteredBytesIO:
        reader_module.BytesIO = MeteredBytesIO


def inspect_pdf(data: bytes) -> int:
    """Parse ``data`` as a PDF under the limits above; return its number of pages or raise ``UploadRefused``."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    _meter_pypdf()
    # pypdf's own recovery scans the file for every " obj" outside any budget: count them first (C speed).
    if data.count(b" obj") > PDF_MAX_OBJECTS:
        raise UploadRefused(TOO_COMPLEX)
    stream = MeteredBytesIO(data)
    budget = _Budget()
    token = _BUDGET.set(budget)
    try:
        with warnings.catch_warnings(), apply_configuration(
            page_tree_maximum_entries=2 * PDF_MAX_PAGES,
            page_tree_maximum_page_entries=100 * PDF_MAX_PAGES,
            **_STREAM_LIMITS,
        ):
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, root_object_recovery_limit=1_000, xref_stream_maximum_entries=PDF_MAX_OBJECTS)
            if reader.is_encrypted:
                raise UploadRefused(ENCRYPTED)
            pages = len(reader.pages)
            if not 1 <= pages <= PDF_MAX_PAGES:
                raise UploadRefused(TOO_COMPLEX if pages else INVALID)
            if _has_active_content(reader):
                raise UploadRefused(ACTIVE_CONTENT)
            return pages
    except _BudgetExceeded as exc:
        raise UploadRefused(TOO_COMPLEX) from exc
    except LimitReachedError as exc:
        raise UploadRefused(TOO_COMPLEX) from exc
    except FileNotDecryptedError as exc:
        raise UploadRefused(ENCRYPTED) from exc
    except UploadRefused:
        raise
    except RecursionError as exc:
        raise UploadRefused(TOO_COMPLEX) from exc
    except Exception as exc:  # any other failure of the parser on untrusted input: not a readable PDF
        raise UploadRefused(TOO_COMPLEX if budget.exceeded else INVALID) from exc
    finally:
        _BUDGET.reset(token)


def _has_active_content(reader) -> bool:
    """Every object the cross-reference lists (including those inside object streams), and every dictionary
    or array nested in it, checked for script-bearing keys and action types. Stream contents are not
    decoded: JavaScript and actions live in dictionaries, never in page content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    numbers = [(num, gen) for gen, entries in reader.xref.items() for num in entries]
    numbers += [(num, 0) for num in reader.xref_objStm]
    if len(numbers) > PDF_MAX_OBJECTS:
        raise UploadRefused(TOO_COMPLEX)
    roots = [reader.trailer, *(IndirectObject(num, gen, reader) for num, gen in numbers)]
    for root in roots:
        stack = [root.get_object()]
        while stack:
            obj = stack.pop()
            if isinstance(obj, DictionaryObject):
                if ACTIVE_KEYS.intersection(obj.keys()):
                    return True
                action = obj.get("/S")
                if isinstance(action, NameObject) and action in ACTIVE_ACTIONS:
                    return True
                stack.extend(value for value in obj.values() if not isinstance(value, IndirectObject))
            elif isinstance(obj, ArrayObject):
                stack.extend(value for value in obj if not isinstance(value, IndirectObject))
    return False


# --- PNG and JPG ----------------------------------------------------------------------------------------

PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG"}


@contextmanager
def _truncated_images_refused():
    """WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` on import (for its own rendering),
    after which a truncated image loads without error. Turn it off for the check, then restore it (the web
    runs sync workers: one request per process at a time)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def inspect_image(upload, kind: str) -> tuple[int, int]:
    """Decode the image with Pillow; return its size or raise ``UploadRefused``."""
    from PIL import Image

    expected = [PILLOW_FORMATS[kind]]
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=expected) as image:
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise UploadRefused(TOO_MANY_PIXELS)
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=expected) as image:
                image.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused(TOO_MANY_PIXELS) from exc
    except Exception as exc:  # UnidentifiedImageError, truncated data (OSError), bad chunks (SyntaxError)…
        raise UploadRefused(INVALID) from exc
    finally:
        upload.seek(0)
    return width, height


# --- XLSX -----------------------------------------------------------------------------------------------

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def inspect_xlsx(upload) -> list[str]:
    """Check the ZIP directory, then the package's declared workbook, then open it with openpyxl
    (read-only: sheets are not read). Return the sheet names or raise ``UploadRefused``."""
    from openpyxl import load_workbook

    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive.infolist())
            if _workbook_part(archive) is None:
                raise UploadRefused(INVALID)
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, keep_vba=False, data_only=True, keep_links=False)
        try:
            names = list(workbook.sheetnames)
        finally:
            workbook.close()
    except UploadRefused:
        raise
    except Exception as exc:  # BadZipFile, a broken part, XML openpyxl cannot read…
        raise UploadRefused(INVALID) from exc
    finally:
        upload.seek(0)
    if not names:
        raise UploadRefused(INVALID)
    return names


def _check_archive(members: list[zipfile.ZipInfo]) -> None:
    """Limits on the ZIP directory alone, before any member is decompressed (a zip bomb stops here)."""
    if len(members) > XLSX_MAX_ENTRIES:
        raise UploadRefused(ARCHIVE_TOO_LARGE)
    total = parsed = 0
    for member in members:
        total += member.file_size
        if _parsed_on_opening(member.filename):
            parsed += member.file_size
        if member.file_size > XLSX_RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise UploadRefused(ARCHIVE_TOO_LARGE)
        name = member.filename.lower()
        if name.endswith(XLSX_FORBIDDEN_SUFFIXES) or PurePosixPath(name).name in XLSX_FORBIDDEN_NAMES or name in XLSX_FORBIDDEN_NAMES:
            raise UploadRefused(INVALID)
    if total > XLSX_MAX_UNCOMPRESSED_BYTES or parsed > XLSX_MAX_PARSED_BYTES:
        raise UploadRefused(ARCHIVE_TOO_LARGE)


def _parsed_on_opening(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith((".xml", ".rels")) and not (
        lowered.startswith("xl/worksheets/") and not lowered.startswith("xl/worksheets/_rels/")
    )


def _workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The part declared as an Excel workbook (``.xlsx``, not macro-enabled) in ``[Content_Types].xml``."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > XLSX_MAX_CONTENT_TYPES_BYTES:
        return None
    root = ElementTree.fromstring(archive.read(info))  # noqa: S314 — bounded size; expat ≥ 2.4 refuses entity bombs
    for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
        if override.get("ContentType") == XLSX_WORKBOOK:
            part = (override.get("PartName") or "").lstrip("/")
            return part if part in archive.namelist() else None
    return None
