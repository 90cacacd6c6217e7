from django.urls import path

from siinas.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("beranda/", views.dashboard, name="dashboard"),
    path("pengumuman/", views.announcement_list, name="announcement-list"),
    path("pengumuman/tambah/", views.announcement_add, name="announcement-add"),
    path("pengumuman/<int:pk>/ubah/", views.announcement_edit, name="announcement-edit"),
    path("pengumuman/<int:pk>/hapus/", views.announcement_delete, name="announcement-delete"),
    path("ekspor/", views.export_list, name="exports"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export-download"),
    path("health/", views.health, name="health"),
    path("metrics/", views.metrics, name="metrics"),
    path("dev/surel/", views.dev_mail, name="dev-mail"),
    path("dev/surel/<str:name>", views.dev_mail_file, name="dev-mail-file"),
]
