from django.urls import path

from analisis.views import pohon as pohon_views
from analisis.views import position as position_views
from analisis.views import sector as sector_views
from siinas.lib.replica import replica_view

app_name = "analisis"

urlpatterns = [
    # Analisis sektor industri (issue 18 §1): public, aggregates only (analisis.sector.selectors)
    path("sektor/", replica_view(sector_views.sector_list), name="sector-list"),
    path("sektor/unduh/<str:fmt>/", replica_view(sector_views.sector_list_download), name="sector-list-download"),
    path("sektor/<str:kbli2>/", replica_view(sector_views.sector_detail_page), name="sector-detail"),
    path(
        "sektor/<str:kbli2>/unduh/<str:table>/<str:fmt>/",
        replica_view(sector_views.sector_detail_download),
        name="sector-detail-download",
    ),
    # Posisi Anda (issue 18 §2): the company's own factory against its subsector (analisis/position.py)
    path("posisi/", position_views.position, name="position"),
    path("posisi/unduh/<str:fmt>/", position_views.position_download, name="position-download"),
    # Pohon Industri (issue 18 §3): public browse page and downloads; curated links for officers.
    path("pohon-industri/", replica_view(pohon_views.pohon), name="pohon"),
    path("pohon-industri/unduh/<str:table>/<str:fmt>/", replica_view(pohon_views.pohon_download), name="pohon-download"),
    path("pohon-industri/kurasi/", pohon_views.curated_list, name="pohon-curated"),
    path("pohon-industri/kurasi/<int:pk>/", pohon_views.curated_edit, name="pohon-curated-edit"),
    path("pohon-industri/kurasi/<int:pk>/hapus/", pohon_views.curated_delete, name="pohon-curated-delete"),
]
