from datetime import date

from django.urls import path, register_converter

from iki import views
from siinas.lib.replica import replica_view


class PeriodConverter:
    """A month in URLs as YYYY-MM, handed to views as the first day of that month."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        return date(int(value[:4]), int(value[5:7]), 1)

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"


register_converter(PeriodConverter, "iki_period")

app_name = "iki"

urlpatterns = [
    # public release (aggregates only)
    path("", views.release, name="release"),
    path("rilis/<iki_period:period>/pdf/", views.release_pdf, name="release-pdf"),
    path("rilis/<iki_period:period>/csv/", views.release_csv, name="release-csv"),
    # the company's questionnaire
    path("kuesioner/", views.response_list, name="response-list"),
    path("kuesioner/isi/", views.response_create, name="response-create"),
    path("kuesioner/<int:pk>/", views.response_detail, name="response-detail"),
    path("kuesioner/<int:pk>/ubah/", views.response_edit, name="response-edit"),
    path("kuesioner/<int:pk>/surat-kuasa/", views.response_attachment, name="response-attachment"),
    # officers
    path("petugas/", replica_view(views.officer_dashboard), name="officer-dashboard"),
    path("petugas/<iki_period:period>/", views.officer_period, name="officer-period"),
    path("petugas/<iki_period:period>/hitung-ulang/", views.result_recompute, name="result-recompute"),
    path("petugas/<iki_period:period>/terbitkan/", views.release_revise, name="release-revise"),
]
