from django.urls import path

from vsend.transitions import report_views, views

app_name = "transitions"

urlpatterns = [
    path("children/<id:child_pk>/transitions/new/", views.start_plan, name="start"),
    path("transitions/", views.plan_list, name="list"),
    path("transitions/phase-transfer/", report_views.phase_transfer, name="phase"),
    path(
        "transitions/phase-transfer/export.<str:fmt>",
        report_views.phase_transfer_export,
        name="phase-export",
    ),
    path(
        "transitions/phase-transfer/<id:child_pk>/shared/",
        report_views.record_shared,
        name="shared",
    ),
    path("transitions/authority/", report_views.authority_figures, name="authority"),
    path(
        "transitions/authority/export.<str:fmt>",
        report_views.authority_export,
        name="authority-export",
    ),
    path("transitions/<id:pk>/", views.plan_page, name="plan"),
    path("transitions/<id:pk>/steps/<slug:step>/", views.record_step, name="step"),
    path("transitions/<id:pk>/reviews/new/", views.record_review, name="review"),
    path("transitions/<id:pk>/end/", views.end_plan, name="end"),
    path("transitions/<id:pk>/receiving/", views.change_receiving, name="receiving"),
]
