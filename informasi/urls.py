from django.urls import path

from informasi import views

app_name = "informasi"

urlpatterns = [
    # public, aggregates only (passed through informasi.selectors._protect)
    path("", views.statistics, name="statistics"),
    path("unduh/<str:fmt>/", views.statistics_download, name="statistics-download"),
]
