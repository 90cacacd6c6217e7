from django.urls import path

from pemda import views
from siinas.lib.replica import replica_view

app_name = "pemda"

urlpatterns = [
    path("", replica_view(views.dashboard), name="dashboard"),
    path("tingkat-pelaporan-kbli/", replica_view(views.dashboard_kbli_rates), name="dashboard-kbli-rates"),
    path("perusahaan/", replica_view(views.company_list), name="company-list"),
    path("perusahaan/ekspor.<str:fmt>", replica_view(views.company_export), name="company-export"),
    path("perusahaan/<int:pk>/", views.company_detail, name="company-detail"),
    path("perusahaan/<int:pk>/pesan/", views.note_send, name="note-send"),
    path("pesan/<int:pk>/", views.note_detail, name="note-detail"),
    path("pemantauan/", replica_view(views.report_monitor), name="report-monitor"),
    path("informasi/", views.submission_list, name="submission-list"),
    path("informasi/baru/", views.submission_create, name="submission-create"),
    path("informasi/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("informasi/<int:pk>/ubah/", views.submission_edit, name="submission-edit"),
    path("informasi/<int:pk>/rekap/", views.submission_generate, name="submission-generate"),
    path("informasi/<int:pk>/kirim/", views.submission_submit, name="submission-submit"),
    path("informasi/<int:pk>/lampiran/", views.attachment_upload, name="attachment-upload"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("lampiran/<int:pk>/hapus/", views.attachment_delete, name="attachment-delete"),
    path("indikator/", replica_view(views.indicators), name="indicators"),
    path("indikator/ekspor.<str:fmt>", replica_view(views.indicator_export), name="indicator-export"),
    path("dokumen/baru/", views.document_create, name="document-create"),
    path("dokumen/<int:pk>/", views.document_detail, name="document-detail"),
    path("dokumen/<int:pk>/pdf/", views.document_pdf, name="document-pdf"),
    path("kementerian/", replica_view(views.ministry_overview), name="ministry-overview"),
]
