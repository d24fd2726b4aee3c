from django.urls import include, path

from vsend.audit.views import audit_log
from vsend.config import views
from vsend.organisations.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("vsend.accounts.urls")),
    path("children/", include("vsend.children.urls")),
    path("", include("vsend.profiles.urls")),
    path("insight/", include("vsend.insights.urls")),
    path("audit/", audit_log, name="audit-log"),
    path("api/v1/", include("vsend.api.urls")),
    path("healthz", views.healthz, name="healthz"),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
