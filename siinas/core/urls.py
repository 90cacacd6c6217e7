from django.urls import path

from siinas.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("beranda/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("metrics/", views.metrics, name="metrics"),
]
