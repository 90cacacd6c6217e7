from django.urls import path

from eservice.views import applications, directory, review

app_name = "eservice"

urlpatterns = [
    # Company: applications
    path("", applications.application_list, name="application-list"),
    path("baru/<slug:service>/", applications.application_create, name="application-create"),
    path("permohonan/<int:pk>/", applications.application_detail_view, name="application-detail"),
    path("permohonan/<int:pk>/ubah/", applications.application_edit, name="application-edit"),
    path("permohonan/<int:pk>/ajukan/", applications.application_submit, name="application-submit"),
    path("permohonan/<int:pk>/hapus/", applications.application_discard, name="application-discard"),
    path("permohonan/<int:pk>/dokumen/", applications.document_upload, name="document-upload"),
    path(
        "permohonan/<int:pk>/dokumen/<int:document_pk>/",
        applications.document_download,
        name="document-download",
    ),
    path("permohonan/<int:pk>/komentar/", applications.comment_add, name="comment-add"),
    path("permohonan/<int:pk>/surat-keputusan.pdf", applications.decision_letter, name="decision-letter"),
    path(
        "permohonan/<int:pk>/laporan-mingguan/",
        applications.weekly_report_create,
        name="weekly-report-create",
    ),
    path("iomki-daerah/", applications.pemda_iomki_list, name="pemda-iomki"),
    # Officers: queue and review actions
    path("antrean/", review.review_queue_view, name="review-queue"),
    path("antrean/ekspor.csv", review.review_queue_export, name="review-queue-export"),
    path("permohonan/<int:pk>/periksa/", review.application_start_review, name="application-start-review"),
    path("permohonan/<int:pk>/ambil-alih/", review.application_take_over, name="application-take-over"),
    path("permohonan/<int:pk>/kembalikan/", review.application_return, name="application-return"),
    path("permohonan/<int:pk>/putuskan/", review.application_decide, name="application-decide"),
    # Business matching
    path("direktori/", directory.directory, name="directory"),
    path("direktori/<int:pk>/", directory.directory_detail, name="directory-detail"),
    path("direktori/<int:pk>/tanya/", directory.inquiry_create, name="inquiry-create"),
    path("direktori/profil-saya/", directory.profile_edit, name="profile-edit"),
    path("direktori/produk/baru/", directory.product_edit, name="product-create"),
    path("direktori/produk/<int:pk>/", directory.product_edit, name="product-edit"),
    path("direktori/produk/<int:pk>/hapus/", directory.product_delete, name="product-delete"),
    path("direktori/saran-pemasok/", directory.suggestions, name="suggestions"),
    path("pesan/", directory.inbox_view, name="inbox"),
    path("pesan/<int:pk>/", directory.thread_view, name="thread"),
    path("pesan/<int:pk>/balas/", directory.thread_reply, name="thread-reply"),
]
