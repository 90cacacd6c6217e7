from django.urls import path  # noqa: F401  (routes land with the app's issue)

app_name = "verification"

urlpatterns: list = []
