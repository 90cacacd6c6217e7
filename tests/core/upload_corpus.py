"""The upload corpus: every kind of file the upload checks must accept or refuse, made in memory by the
tests themselves (no binary fixtures in the repository). Each function returns the file's bytes."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

# --- PDF ------------------------------------------------------------------------------------------------


def pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    return _written(writer)


def large_pdf(megabytes: int) -> bytes:
    """A valid one-page PDF of about ``megabytes``, made large by an embedded file of random bytes."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("lampiran.bin", random.Random(13).randbytes(megabytes * 1024 * 1024))
    return _written(writer)


def pdf_with_open_action_javascript() -> bytes:
    """Runs ``app.alert`` when opened: ``/OpenAction << /S /JavaScript /JS (…) >>`` on the catalog."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_page_additional_action() -> bytes:
    """A page ``/AA`` (open-page action) written with a hex-escaped name, ``/J#53`` for ``/JS``."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /AA << /O << /S /JavaScript /J#53 (app.alert(1)) >> >> >>",
        ]
    )


def pdf_with_javascript_in_an_object_stream() -> bytes:
    """The JavaScript action compressed inside an ``/ObjStm``, where no byte of the file spells ``/JS``."""
    member = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"5 0 "
    body = zlib.compress(header + member)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(body))
            + body
            + b"\nendstream",
        ],
        xref=False,  # pypdf finds the object stream by scanning, as viewers do with a damaged table
    )


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("rahasia", algorithm="RC4-128")
    return _written(writer)


def truncated_pdf() -> bytes:
    data = large_pdf(1)
    return data[: len(data) // 2]


def pdf_with_too_many_objects(count: int) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
    return raw_pdf(objects + [b"<< /N %d >>" % n for n in range(count)], xref=False)


def pdf_with_a_costly_page(elements: int) -> bytes:
    """One page whose dictionary holds ``elements`` numbers in nested arrays: cheap to send, seconds to parse."""
    arrays = b" ".join(b"[" + b"1 " * 50_000 + b"]" for _ in range(elements // 50_000))
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Padding [" + arrays + b"] >>",
        ]
    )


def pdf_with_a_costly_object_stream(elements: int) -> bytes:
    """The same cost hidden in a compressed object stream (a few kilobytes on the wire)."""
    header = b"5 0 "
    member = b"[" + b" ".join(b"[" + b"1 " * 50_000 + b"]" for _ in range(elements // 50_000)) + b"]"
    body = zlib.compress(header + member, 9)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Extra 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(body))
            + body
            + b"\nendstream",
        ],
        xref=False,
    )


def raw_pdf(objects: list[bytes], *, xref: bool = True) -> bytes:
    """Objects numbered from 1, a classic cross-reference table (or none) and a trailer rooted at 1."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start if xref else 0)
    return bytes(out)


def _written(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- Executables and archives ---------------------------------------------------------------------------


def exe() -> bytes:
    """The start of a Windows PE program ("MZ", the DOS stub, "PE\\0\\0")."""
    stub = b"MZ" + b"\x90\x00" + b"\x00" * 56
    stub = stub[:0x3C] + struct.pack("<I", 0x80) + stub[0x40:]
    return stub.ljust(0x80, b"\x00") + b"PE\x00\x00" + b"\x00" * 200


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_not_xlsx() -> bytes:
    return zip_of({"catatan.txt": b"bukan lembar kerja", "data.csv": b"a,b\n1,2\n"})


def jar() -> bytes:
    return zip_of({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\nMain-Class: Main\n", "Main.class": b"\xca\xfe\xba\xbe" + b"\x00" * 60})


def zip_holding_an_exe() -> bytes:
    return zip_of({"setup.exe": exe()})


def xlsx_holding_an_exe() -> bytes:
    """A real workbook with a program added to the package."""
    return _with_members(xlsx(), {"xl/media/setup.exe": exe()})


def xlsx_with_macros() -> bytes:
    return _with_members(xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 500})


def zip_bomb(megabytes: int = 20) -> bytes:
    """A workbook-shaped package with one member of ``megabytes`` of zeros (over 1000:1 compressed)."""
    return _with_members(xlsx(), {"xl/worksheets/sheet2.xml": b"\x00" * (megabytes * 1024 * 1024)})


def xlsx(rows: int = 3) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mesin"
    sheet.append(["Nama mesin", "Jumlah"])
    for n in range(rows):
        sheet.append([f"Mesin {n}", n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_members(package: bytes, extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- Images ---------------------------------------------------------------------------------------------


def png(width: int = 64, height: int = 48) -> bytes:
    return _image("PNG", width, height)


def jpg(width: int = 64, height: int = 48) -> bytes:
    return _image("JPEG", width, height)


def _image(fmt: str, width: int, height: int) -> bytes:
    from PIL import Image

    noise = random.Random(7).randbytes(width * height * 3)  # incompressible, so truncation cuts pixel data
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(buffer, fmt)
    return buffer.getvalue()


def truncated_png() -> bytes:
    data = png(300, 300)
    return data[: len(data) // 2]


def truncated_jpg() -> bytes:
    data = jpg(300, 300)
    return data[: len(data) // 2]


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (a pixel bomb: a few hundred bytes
    that would take gigabytes to decode)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")
