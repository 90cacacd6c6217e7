from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mulai/", views.report_start, name="report-start"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/bagian/<slug:code>/", views.section_edit, name="section-edit"),
    path("<int:pk>/bagian/<slug:code>/konfirmasi/", views.section_confirm, name="section-confirm"),
    path("<int:pk>/excel/", views.excel_upload, name="report-excel"),
    path("<int:pk>/excel/templat.xlsx", views.excel_template, name="report-excel-template"),
    path("<int:pk>/bagian/<slug:code>/excel/", views.excel_upload, name="section-excel"),
    path("<int:pk>/bagian/<slug:code>/excel/templat.xlsx", views.excel_template, name="section-excel-template"),
    path("<int:pk>/kirim/", views.report_submit, name="report-submit"),
    path("<int:pk>/perbandingan/", views.version_diff, name="version-diff"),
    path("<int:pk>/unduh.pdf", views.report_pdf_view, name="report-pdf"),
    path("<int:pk>/unduh.xlsx", views.report_xlsx_view, name="report-xlsx"),
    path("<int:pk>/tanda-terima/<int:number>/", views.receipt, name="receipt"),
    path("tanda-terima/<str:digest>/", views.receipt_check, name="receipt-check"),
    path("data-lainnya/", views.other_data_list, name="other-list"),
    path("data-lainnya/<int:pk>/", views.other_data_detail, name="other-detail"),
    path("data-lainnya/<int:pk>/lampiran/<int:attachment_id>/", views.other_data_attachment, name="other-attachment"),
]
