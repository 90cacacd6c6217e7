from django.urls import path

from verification.views import team

app_name = "verification"

urlpatterns = [
    path("tim/", team.team_list, name="team-list"),
    path("tim/<int:pk>/", team.team_member_edit, name="team-member-edit"),
]
