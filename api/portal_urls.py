"""/mitra/: the portal pages of partner organisations and their API tokens (not the JSON API)."""

from django.urls import path

from api import views

app_name = "mitra"

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("organisasi/baru/", views.organisation_create, name="organisation-create"),
    path("organisasi/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisasi/<int:pk>/ubah/", views.organisation_edit, name="organisation-edit"),
    path("organisasi/<int:pk>/token/baru/", views.token_issue, name="token-issue"),
    path("token/<int:pk>/", views.token_detail, name="token-detail"),
    path("token/<int:pk>/rahasia/", views.token_secret, name="token-secret"),
    path("token/<int:pk>/rotasi/", views.token_rotate, name="token-rotate"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token-revoke"),
]
