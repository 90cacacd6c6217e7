from django.urls import path  # noqa: F401  (each part of the app adds its routes below)

app_name = "analisis"

urlpatterns: list = []

# --- Analisis sektor industri (issue 18 §1): public, aggregates only (analisis.sector.selectors) ---------
from analisis.views import sector as sector_views  # noqa: E402
from siinas.lib.replica import replica_view  # noqa: E402

urlpatterns += [
    path("sektor/", replica_view(sector_views.sector_list), name="sector-list"),
    path("sektor/unduh/<str:fmt>/", replica_view(sector_views.sector_list_download), name="sector-list-download"),
    path("sektor/<str:kbli2>/", replica_view(sector_views.sector_detail_page), name="sector-detail"),
    path(
        "sektor/<str:kbli2>/unduh/<str:table>/<str:fmt>/",
        replica_view(sector_views.sector_detail_download),
        name="sector-detail-download",
    ),
]
