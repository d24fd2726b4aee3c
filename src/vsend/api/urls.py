from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from vsend.api import views

app_name = "api"

# The API answers for itself (401 with a Bearer challenge), not with a sign-in redirect.
urlpatterns = [
    path("me/", login_not_required(views.me), name="me"),
    path("children/", login_not_required(views.child_list), name="children"),
    path("children/<int:pk>/", login_not_required(views.child_detail), name="child"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
]
