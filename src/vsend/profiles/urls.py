from django.urls import path

from vsend.profiles import area_views, family_views, step_views, views

app_name = "profiles"

urlpatterns = [
    path("children/<id:child_pk>/profiles/new/", views.start, name="start"),
    path("profiles/<id:pk>/", views.summary, name="summary"),
    path("profiles/<id:pk>/tasks/", views.task_list, name="tasks"),
    path("profiles/<id:pk>/introduction/", views.introduction, name="introduction"),
    path("profiles/<id:pk>/ask-family/", views.ask_family, name="ask-family"),
    path("profiles/<id:pk>/steps/<slug:step>/", step_views.step, name="step"),
    path("profiles/<id:pk>/needs/<slug:domain>/", step_views.need, name="need"),
    path("profiles/<id:pk>/readiness/<slug:domain>/", area_views.readiness, name="readiness"),
    path("profiles/<id:pk>/plan/<slug:domain>/", area_views.plan, name="plan"),
    path("profiles/<id:pk>/review-date/", area_views.review_date, name="review-date"),
    path("profiles/<id:pk>/finalise/", views.finalise, name="finalise"),
    path("profiles/<id:pk>/review/", views.review, name="review"),
    path("profiles/<id:pk>/chart.svg", views.chart_svg, name="chart"),
    path("profiles/<id:pk>/pdf/", views.pdf, name="pdf"),
    path("profiles/<id:pk>/family/", family_views.family_start, name="family-start"),
    path("profiles/<id:pk>/family/check/", family_views.family_check, name="family-check"),
    path(
        "profiles/<id:pk>/family/<slug:domain>/",
        family_views.family_question,
        name="family-question",
    ),
]
