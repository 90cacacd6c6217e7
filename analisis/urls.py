from django.urls import path  # noqa: F401  (each part of the app adds its routes below)

app_name = "analisis"

urlpatterns: list = []

# Posisi Anda (issue 18 §2): the company's own factory against its subsector (analisis/position.py)
from analisis.views import position as position_views  # noqa: E402

urlpatterns += [
    path("posisi/", position_views.position, name="position"),
    path("posisi/unduh/<str:fmt>/", position_views.position_download, name="position-download"),
]
