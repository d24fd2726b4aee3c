from django.urls import include, path, register_converter
from django.views.decorators.http import require_safe

from vsend.audit.views import audit_log
from vsend.config import views
from vsend.config.ids import IdConverter
from vsend.ops.views import metrics
from vsend.organisations.views import home

# Before the apps' patterns are read: every id in an address is `<id:...>` (see config/ids.py).
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("", include("vsend.accounts.urls")),
    path("people/", include("vsend.accounts.people_urls")),
    path("children/", include("vsend.children.urls")),
    path("family/", include("vsend.family.urls")),
    path("records/", include("vsend.records.urls")),
    path("", include("vsend.profiles.urls")),
    path("", include("vsend.voice.urls")),
    path("", include("vsend.statutory.urls")),
    path("", include("vsend.transitions.urls")),
    path("insight/", include("vsend.insights.urls")),
    path("downloads/", include("vsend.exports.urls")),
    path("organisations/", include("vsend.organisations.urls")),
    path("registers/", include("vsend.exchange.urls")),
    path("provision/", include("vsend.provision.urls")),
    path("places/", include("vsend.places.urls")),
    path("audit/", require_safe(audit_log), name="audit-log"),
    path("api/v1/", include("vsend.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
