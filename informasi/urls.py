from django.urls import path

from informasi import views
from siinas.lib.replica import replica_view

app_name = "informasi"

urlpatterns = [
    # public, aggregates only (passed through informasi.selectors._protect)
    path("", replica_view(views.statistics), name="statistics"),
    path("unduh/<str:fmt>/", replica_view(views.statistics_download), name="statistics-download"),
]
