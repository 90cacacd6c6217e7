from django.urls import path

from siinas.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("beranda/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("metrics/", views.metrics, name="metrics"),
    path("dev/surel/", views.dev_mail, name="dev-mail"),
    path("dev/surel/<str:name>", views.dev_mail_file, name="dev-mail-file"),
]
