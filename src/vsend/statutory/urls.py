from django.urls import path

from vsend.statutory import outcome_views, plan_views, review_views, sen2_views, views

app_name = "statutory"

urlpatterns = [
    path("children/<id:child_pk>/assessment-request/", views.request_assessment, name="request"),
    path(
        "children/<id:child_pk>/assessment-request/received/",
        review_views.received_request,
        name="request-received",
    ),
    path("statutory/cases/<id:pk>/withdraw/", review_views.withdraw, name="withdraw"),
    path("statutory/cases/<id:pk>/adulthood/", review_views.adulthood, name="adulthood"),
    path("statutory/plans/<id:pk>/outcomes/new/", review_views.plan_outcome, name="plan-outcome"),
    path(
        "statutory/plans/<id:pk>/outcomes/<id:outcome_pk>/change/",
        outcome_views.edit_outcome,
        name="plan-outcome-edit",
    ),
    path(
        "statutory/plans/<id:pk>/outcomes/<id:outcome_pk>/remove/",
        outcome_views.remove_outcome,
        name="plan-outcome-remove",
    ),
    path("statutory/worklist/", views.worklist, name="worklist"),
    path("statutory/sen2/", sen2_views.sen2_report, name="sen2"),
    path("statutory/timeliness/", sen2_views.timeliness_page, name="timeliness"),
    path("statutory/sen2/<int:year>.xml", sen2_views.sen2_xml, name="sen2-xml"),
    path("statutory/cases/<id:pk>/", views.case_page, name="case"),
    path("statutory/cases/<id:pk>/request-pack.json", views.request_pack, name="pack"),
    path("statutory/cases/<id:pk>/request-pack.pdf", views.request_pack_pdf, name="pack-pdf"),
    path("statutory/cases/<id:pk>/record/<slug:step>/", views.record_step, name="record-step"),
    path("statutory/cases/<id:pk>/exceptions/new/", views.record_exception, name="exception"),
    path(
        "statutory/cases/<id:pk>/exceptions/<id:exception_pk>/end/",
        views.end_exception,
        name="exception-end",
    ),
    path("statutory/cases/<id:pk>/letters/new/", plan_views.add_letter, name="letter-add"),
    path("statutory/cases/<id:pk>/letters/<id:doc_pk>/", plan_views.letter, name="letter"),
    path("statutory/cases/<id:pk>/appeals/new/", plan_views.add_appeal, name="appeal"),
    path("statutory/cases/<id:pk>/final-plan/", plan_views.issue_plan, name="issue-plan"),
    path("statutory/plans/<id:pk>/", plan_views.plan_page, name="plan"),
    path("statutory/plans/<id:pk>/edit/", plan_views.edit_plan, name="plan-edit"),
    path("statutory/plans/<id:pk>/cease/", plan_views.cease_plan, name="plan-cease"),
]
