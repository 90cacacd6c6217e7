from django.urls import path

from siinas.lib.replica import replica_view
from verification.views import letters, rates, review, team

app_name = "verification"

urlpatterns = [
    path("tim/", team.team_list, name="team-list"),
    path("tim/<int:pk>/", team.team_member_edit, name="team-member-edit"),
    path("antrean/verifikasi/", review.verifier_queue_view, name="verifier-queue"),
    path("antrean/validasi/", review.validator_queue_view, name="validator-queue"),
    path("laporan/<int:pk>/", review.review_detail, name="review"),
    path("laporan/<int:pk>/ambil/", review.review_claim, name="review-claim"),
    path("laporan/<int:pk>/lepas/", review.review_release, name="review-release"),
    path("laporan/<int:pk>/verifikasi/", review.review_verify, name="review-verify"),
    path("laporan/<int:pk>/validasi/", review.review_validate, name="review-validate"),
    path("laporan/<int:pk>/kembalikan/", review.review_return, name="review-return"),
    path("tingkat-pelaporan/", replica_view(rates.reporting_rate), name="reporting-rate"),
    path("surat/", letters.letter_list, name="letter-list"),
    path("surat/<int:pk>/unduh/", letters.letter_download, name="letter-download"),
    path("sanksi/", letters.sanction_list, name="sanction-list"),
]
