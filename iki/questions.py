"""The IKI questionnaire (SE Menperin 13/2022) as data: answer codes, labels and factor lists.

Codes are what the database, the engine, the CSV of ``iki_compute`` and the JSON output use;
labels are the questionnaire's own Indonesian wording. No database access here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.TextChoices):
    """Answers to questions 1–4 (the deck's form prints "Meningkatkan"; the SE reads "Meningkat")."""

    MENINGKAT = "meningkat", _("Meningkat")
    TETAP = "tetap", _("Tetap")
    MENURUN = "menurun", _("Menurun")


class Outlook(models.TextChoices):
    """Answers to question 5 (six months ahead)."""

    OPTIMIS = "optimis", _("Optimis")
    TIDAK_BERUBAH = "tidak_berubah", _("Tidak berubah")
    PESIMIS = "pesimis", _("Pesimis")


OTHER = "lainnya"

ORDER_FACTORS: list[tuple[str, str]] = [
    ("pesanan_domestik", _("Pesanan domestik")),
    ("pesanan_luar_negeri", _("Pesanan luar negeri")),
    ("pengadaan_pemerintah", _("Pengadaan barang/jasa pemerintah")),
    ("penjualan_ritel", _("Penjualan ritel/rumah tangga")),
    ("pesanan_grup", _("Pesanan dari grup perusahaan Anda")),
    ("pesanan_industri_lain", _("Pesanan dari perusahaan industri lain sebagai bahan baku/penolong")),
    ("harga_jual_dalam_negeri", _("Harga jual produk dalam negeri")),
    ("harga_jual_luar_negeri", _("Harga jual produk luar negeri")),
    ("nilai_tukar", _("Nilai tukar")),
    ("hpe", _("Harga Patokan Ekspor (HPE)")),
    ("biaya_pengiriman", _("Biaya pengiriman")),
    ("ekonomi_negara_mitra", _("Kondisi ekonomi negara mitra")),
    ("kebijakan_negara_mitra", _("Kebijakan perdagangan negara mitra")),
    ("kerjasama_internasional", _("Kesepakatan kerjasama internasional baru")),
    (OTHER, _("Lainnya")),
]

PRODUCTION_FACTORS: list[tuple[str, str]] = [
    ("pesanan", _("Pesanan")),
    ("ketersediaan_stok", _("Tingkat ketersediaan stok produk")),
    ("fasilitas_produksi", _("Ketersediaan fasilitas produksi")),
    ("tenaga_kerja", _("Ketersediaan tenaga kerja")),
    ("bahan_baku", _("Ketersediaan bahan baku/penolong")),
    ("biaya_produksi", _("Biaya produksi")),
    ("musiman", _("Faktor musiman")),
    ("nilai_tukar", _("Nilai tukar")),
    (OTHER, _("Lainnya")),
]

STOCK_FACTORS: list[tuple[str, str]] = [
    ("pesanan", _("Pesanan")),
    ("penjualan", _("Penjualan")),
    ("biaya_penyimpanan", _("Biaya penyimpanan")),
    ("waktu_tunggu", _("Waktu tunggu pengiriman")),
    ("ruang_penyimpanan", _("Ketersediaan ruang penyimpanan")),
    ("sistem_logistik", _("Sistem logistik")),
    (OTHER, _("Lainnya")),
]

OUTLOOK_FACTORS: list[tuple[str, str]] = [
    ("kebijakan_pusat", _("Kebijakan pemerintah pusat")),
    ("kebijakan_daerah", _("Kebijakan pemerintah daerah")),
    ("inflasi", _("Inflasi")),
    ("pasar", _("Pasar (market)")),
    ("suku_bunga", _("Suku bunga")),
    ("infrastruktur", _("Infrastruktur untuk logistik dan distribusi")),
    ("perizinan", _("Proses perizinan")),
    ("insentif", _("Fasilitas/insentif pemerintah")),
    (OTHER, _("Lainnya")),
]

QUESTION_GENERAL = _("Bagaimana kondisi kegiatan usaha secara umum pada bulan ini dibandingkan dengan bulan lalu?")
QUESTION_ORDERS = _("Bagaimana volume pesanan baru pada bulan ini dibandingkan bulan lalu?")
QUESTION_ORDERS_FACTORS = _(
    "Apa faktor utama yang memengaruhi terjadinya peningkatan/penurunan pesanan baru? (jawaban dapat lebih dari 1)"
)
QUESTION_PRODUCTION = _("Bagaimana volume produksi pada bulan ini dibandingkan bulan lalu?")
QUESTION_PRODUCTION_FACTORS = _(
    "Apa faktor utama yang memengaruhi terjadinya peningkatan/penurunan volume produksi? (jawaban dapat lebih dari 1)"
)
QUESTION_STOCK = _("Bagaimana volume persediaan (stok) produk pada bulan ini dibandingkan bulan lalu?")
QUESTION_STOCK_FACTORS = _(
    "Apa faktor utama yang memengaruhi terjadinya peningkatan/penurunan persediaan produk? (jawaban dapat lebih dari 1)"
)
QUESTION_OUTLOOK = _("Bagaimana pandangan Anda terhadap kondisi dunia usaha di Indonesia 6 bulan ke depan?")
QUESTION_OUTLOOK_FACTORS = _("Apa faktor utama yang memengaruhi kondisi dunia usaha di Indonesia 6 bulan ke depan?")


# One entry per question with factors: (answer field, factors field, "Lainnya" text field, factor list,
# the answer that needs no factors). Forms, services and the engine all iterate this.
FACTOR_QUESTIONS: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    ("orders", "orders_factors", "orders_other", ORDER_FACTORS, Change.TETAP),
    ("production", "production_factors", "production_other", PRODUCTION_FACTORS, Change.TETAP),
    ("stock", "stock_factors", "stock_other", STOCK_FACTORS, Change.TETAP),
    ("outlook", "outlook_factors", "outlook_other", OUTLOOK_FACTORS, Outlook.TIDAK_BERUBAH),
]

FACTOR_LABELS: dict[str, dict[str, str]] = {
    answer: dict(factors) for answer, _f, _o, factors, _n in FACTOR_QUESTIONS
}

VARIABLE_LABELS = {
    "orders": _("Pesanan baru"),
    "production": _("Produksi"),
    "stock": _("Persediaan produk"),
    "outlook": _("Ekspektasi 6 bulan ke depan"),
}

# Each factor's bit in the response's ``<question>_factor_bits`` (its position in the spec's list), so
# the monthly tally counts factors with integer arithmetic in one table scan instead of parsing JSON.
FACTOR_BITS: dict[str, dict[str, int]] = {
    answer: {code: 1 << position for position, (code, _label) in enumerate(factors)}
    for answer, _f, _o, factors, _n in FACTOR_QUESTIONS
}


def factor_bits(answer: str, codes) -> int:
    bits = FACTOR_BITS[answer]
    return sum({bits[code] for code in codes if code in bits})
