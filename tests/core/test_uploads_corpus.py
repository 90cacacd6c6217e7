"""Uploads are decoded by type, not sniffed (issue 13 §4): the corpus of tests/core/upload_corpus.py through
``validate_upload`` / ``validate_pdf``, then stored and served as what they really are."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from siinas.lib import upload_checks, uploads
from tests.core import upload_corpus as corpus

ALL = ("pdf", "jpg", "png", "xlsx")


def _upload(data: bytes, name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _refusal(data: bytes, *, kinds=ALL, name: str = "berkas.pdf") -> list[str]:
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload(data, name), kinds=kinds)
    return exc.value.messages


# --- what is accepted ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [(corpus.pdf, "pdf"), (corpus.png, "png"), (corpus.jpg, "jpg"), (corpus.xlsx, "xlsx")],
)
def test_a_valid_file_of_each_type_is_accepted_and_named_after_its_type(make, kind):
    upload = _upload(make(), "lampiran dari klien.exe")
    assert uploads.validate_upload(upload) == kind
    assert upload.name == f"lampiran dari klien.{kind}"


def test_a_pdf_of_many_pages_is_accepted():
    assert upload_checks.inspect_pdf(corpus.pdf(pages=300)) == 300


# --- executables and archives ----------------------------------------------------------------------------


def test_a_renamed_exe_is_refused_with_the_fields_own_types():
    assert _refusal(corpus.exe(), name="laporan.pdf") == ["Jenis berkas tidak diizinkan. Unggah PDF, JPG, PNG atau XLSX."]
    assert _refusal(corpus.exe(), kinds=("pdf",)) == ["Jenis berkas tidak diizinkan. Unggah PDF."]
    assert _refusal(corpus.exe(), kinds=("pdf", "png", "jpg")) == ["Jenis berkas tidak diizinkan. Unggah PDF, JPG atau PNG."]
    assert _refusal(corpus.exe(), kinds=("pdf", "xlsx")) == ["Jenis berkas tidak diizinkan. Unggah PDF atau XLSX."]


@pytest.mark.parametrize(
    "make",
    [corpus.zip_not_xlsx, corpus.jar, corpus.zip_holding_an_exe, corpus.xlsx_holding_an_exe, corpus.xlsx_with_macros],
    ids=["zip-not-xlsx", "jar", "zip-holding-exe", "xlsx-holding-exe", "xlsx-with-macros"],
)
def test_a_zip_that_is_not_a_plain_excel_workbook_is_refused(make):
    assert _refusal(make(), name="data.xlsx") == [uploads.UPLOAD_XLSX_INVALID]


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_decompressed(monkeypatch):
    bomb = corpus.zip_bomb(megabytes=20)
    assert len(bomb) < 200 * 1024  # 20 MB of zeros in a few dozen kilobytes
    monkeypatch.setattr("openpyxl.load_workbook", pytest.fail)  # never reached
    assert _refusal(bomb, name="data.xlsx") == [uploads.UPLOAD_XLSX_TOO_LARGE]


def test_a_workbook_with_too_much_for_openpyxl_to_parse_on_opening_is_refused(monkeypatch):
    monkeypatch.setattr(upload_checks, "XLSX_MAX_PARSED_BYTES", 1024)  # the real limit is 6 MB of XML
    assert _refusal(corpus.xlsx(rows=200), name="data.xlsx") == [uploads.UPLOAD_XLSX_TOO_LARGE]


def test_an_xlsx_is_refused_where_the_field_does_not_take_spreadsheets():
    assert _refusal(corpus.xlsx(), kinds=("pdf", "jpg", "png")) == ["Jenis berkas tidak diizinkan. Unggah PDF, JPG atau PNG."]


# --- images ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 8_000)], ids=["10-gigapixel", "64-megapixel"])
def test_a_png_declaring_too_many_pixels_is_refused_before_decoding(width, height):
    bomb = corpus.png_declaring(width, height)
    assert len(bomb) < 1024
    assert _refusal(bomb, name="foto.png") == ["Resolusi gambar terlalu besar: paling banyak 40 megapiksel."]


@pytest.mark.parametrize(("make", "label"), [(corpus.truncated_png, "PNG"), (corpus.truncated_jpg, "JPG")])
@pytest.mark.parametrize("after_weasyprint", [False, True], ids=["", "after-weasyprint"])
def test_a_truncated_image_is_refused(make, label, after_weasyprint, monkeypatch):
    if after_weasyprint:  # importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process
        from PIL import ImageFile

        monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    assert _refusal(make(), name="foto.jpg") == [f"Gambar {label} rusak atau tidak lengkap."]


# --- PDF -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [corpus.pdf_with_open_action_javascript, corpus.pdf_with_page_additional_action, corpus.pdf_with_javascript_in_an_object_stream],
    ids=["open-action", "page-aa-hex-escaped-name", "inside-object-stream"],
)
def test_a_pdf_with_javascript_is_refused_with_its_own_message(make):
    with pytest.raises(ValidationError) as exc:
        uploads.validate_pdf(_upload(make()))
    assert exc.value.messages == [uploads.UPLOAD_PDF_ACTIVE_CONTENT]


def test_an_encrypted_pdf_is_refused_with_its_own_message():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_pdf(_upload(corpus.encrypted_pdf()))
    assert exc.value.messages == [uploads.UPLOAD_PDF_ENCRYPTED]
    assert _refusal(corpus.encrypted_pdf()) == [uploads.UPLOAD_PDF_ENCRYPTED]


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_pdf(_upload(corpus.truncated_pdf()))
    assert exc.value.messages == [uploads.UPLOAD_NOT_PDF]


def test_a_pdf_with_more_objects_than_the_limit_is_refused_without_parsing_them():
    data = corpus.pdf_with_too_many_objects(upload_checks.PDF_MAX_OBJECTS + 1)
    started = time.process_time()
    with pytest.raises(upload_checks.UploadRefused) as exc:
        upload_checks.inspect_pdf(data)
    assert exc.value.reason == upload_checks.TOO_COMPLEX
    assert time.process_time() - started < 1  # a count over the bytes, not a parse


def test_a_pdf_whose_page_costs_more_reads_than_the_budget_is_refused(monkeypatch):
    monkeypatch.setattr(upload_checks, "PDF_MAX_READS", 20_000)  # the same rule at 1/100 of the real budget
    with pytest.raises(ValidationError) as exc:
        uploads.validate_pdf(_upload(corpus.pdf_with_a_costly_page(elements=50_000)))
    assert exc.value.messages == [uploads.UPLOAD_PDF_TOO_COMPLEX % {"pages": 2000}]
    # The file is small and valid: only the cost of reading it is refused.
    assert len(corpus.pdf_with_a_costly_page(elements=50_000)) < 200 * 1024


def test_a_pdf_whose_object_stream_is_too_costly_is_refused(monkeypatch):
    """Parsing inside compressed object streams is charged too (pypdf's reader is given metered streams)."""
    monkeypatch.setattr(upload_checks, "PDF_MAX_READS", 20_000)
    data = corpus.pdf_with_a_costly_object_stream(elements=50_000)
    assert len(data) < 10 * 1024
    with pytest.raises(upload_checks.UploadRefused) as exc:
        upload_checks.inspect_pdf(data)
    assert exc.value.reason == upload_checks.TOO_COMPLEX


def test_the_answer_depends_on_the_read_count_alone(monkeypatch):
    """The same file gets the same answer on a slow or a fast machine: reads are counted, never timed."""
    data = corpus.pdf_with_a_costly_page(elements=50_000)
    monkeypatch.setattr(upload_checks, "PDF_MAX_READS", 1_000_000)
    assert upload_checks.inspect_pdf(data) == 1
    monkeypatch.setattr(upload_checks, "PDF_MAX_READS", 20_000)
    with pytest.raises(upload_checks.UploadRefused):
        upload_checks.inspect_pdf(data)


def test_a_pdf_over_the_page_limit_is_refused(monkeypatch):
    monkeypatch.setattr(upload_checks, "PDF_MAX_PAGES", 5)
    with pytest.raises(upload_checks.UploadRefused) as exc:
        upload_checks.inspect_pdf(corpus.pdf(pages=6))
    assert exc.value.reason == upload_checks.TOO_COMPLEX


# --- stored and served -----------------------------------------------------------------------------------


def test_the_stored_name_has_the_extension_of_the_detected_type():
    upload_to = uploads.private_upload_to("eservice")
    assert upload_to(None, "laporanfdp.pdf").endswith(".pdf")
    assert upload_to(None, "foto.JPEG").endswith(".jpg")
    assert not upload_to(None, "laporanfdp.exe").endswith(".exe")
    assert "." not in upload_to(None, "laporanfdp.exe").rsplit("/", 1)[1]


class _Stored:
    """The part of a FieldFile that ``serve_private_file`` uses."""

    def __init__(self, data: bytes):
        self.name = uploads.private_storage.save("uji/berkas", SimpleUploadedFile("x", data))

    def open(self, mode="rb"):
        return uploads.private_storage.open(self.name, mode)


@pytest.mark.parametrize(
    ("data", "content_type", "name"),
    [
        (corpus.pdf(), "application/pdf", "laporanfdp.pdf"),
        (corpus.png(), "image/png", "laporanfdp.png"),
        (corpus.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "laporanfdp.xlsx"),
        (corpus.exe(), "application/octet-stream", "laporanfdp.bin"),
        (corpus.jar(), "application/octet-stream", "laporanfdp.bin"),
    ],
    ids=["pdf", "png", "xlsx", "unknown", "zip-not-xlsx"],
)
def test_a_stored_file_is_served_as_an_attachment_named_and_typed_after_its_content(data, content_type, name):
    response = uploads.serve_private_file(_Stored(data), download_name="laporanfdp.exe")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    response.file_to_stream.close()
