from django.urls import path  # noqa: F401  (each part of the app adds its routes below)

app_name = "analisis"

urlpatterns: list = []

# Pohon Industri (issue 18 §3): public browse page and downloads; curated links for officers.
from analisis.views import pohon as pohon_views  # noqa: E402
from siinas.lib.replica import replica_view  # noqa: E402

urlpatterns += [
    path("pohon-industri/", replica_view(pohon_views.pohon), name="pohon"),
    path("pohon-industri/unduh/<str:table>/<str:fmt>/", replica_view(pohon_views.pohon_download), name="pohon-download"),
    path("pohon-industri/kurasi/", pohon_views.curated_list, name="pohon-curated"),
    path("pohon-industri/kurasi/<int:pk>/", pohon_views.curated_edit, name="pohon-curated-edit"),
    path("pohon-industri/kurasi/<int:pk>/hapus/", pohon_views.curated_delete, name="pohon-curated-delete"),
]
