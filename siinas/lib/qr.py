"""QR codes as PNG bytes or data: URIs (embedded in PDFs, so no URL is fetched)."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(data: str, *, box_size: int = 8, border: int = 4) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str, **kwargs) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data, **kwargs)).decode("ascii")
