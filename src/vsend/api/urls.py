from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from vsend.api import exports, frameworks, insights, organisation, places, profiles, views
from vsend.api import transitions as transition_api
from vsend.provision import api as provision
from vsend.records import api as records
from vsend.statutory import api as statutory

app_name = "api"

# The API answers for itself (401 with a Bearer challenge), not with a sign-in redirect.
urlpatterns = [
    path("me/", login_not_required(views.me), name="me"),
    path("children/", login_not_required(views.child_list), name="children"),
    path("children/<id:pk>/", login_not_required(views.child_detail), name="child"),
    path(
        "children/<id:pk>/profiles/",
        login_not_required(profiles.child_profiles),
        name="child-profiles",
    ),
    path("children/<id:pk>/record", login_not_required(records.child_record), name="child-record"),
    path("profiles/<id:pk>/", login_not_required(profiles.profile_detail), name="profile"),
    path(
        "profiles/<id:pk>/chart.svg",
        login_not_required(profiles.profile_chart_svg),
        name="profile-chart",
    ),
    path("profiles/<id:pk>/pdf", login_not_required(exports.profile_pdf), name="profile-pdf"),
    path("frameworks/", login_not_required(frameworks.framework_list), name="frameworks"),
    path(
        "frameworks/<slug:framework_id>/<str:version>/<slug:age_band>/",
        login_not_required(frameworks.framework_detail),
        name="framework",
    ),
    path("downloads/<uuid:pk>/", login_not_required(exports.export_status), name="export"),
    path("downloads/<uuid:pk>/file", login_not_required(exports.export_file), name="export-file"),
    path(
        "insight/settings/<id:pk>/",
        login_not_required(insights.setting_insight),
        name="setting-insight",
    ),
    path(
        "insight/authority/",
        login_not_required(insights.authority_insight),
        name="authority-insight",
    ),
    path("localities/", login_not_required(organisation.locality_list), name="localities"),
    path("settings/", login_not_required(organisation.setting_list), name="settings"),
    path("settings/<id:pk>/", login_not_required(organisation.setting_detail), name="setting"),
    path("people/", login_not_required(organisation.person_list), name="people"),
    path("people/<id:pk>/", login_not_required(organisation.person_detail), name="person"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    *provision.urlpatterns,
    *statutory.urlpatterns,
    *transition_api.urlpatterns,
    *places.urlpatterns,
]
