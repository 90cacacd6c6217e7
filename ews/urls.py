from django.urls import path

from ews import views

app_name = "ews"

urlpatterns = [
    path("", views.signal_list, name="signal-list"),
]
