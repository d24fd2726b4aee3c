from django.urls import path

from vsend.profiles import views

app_name = "profiles"

urlpatterns = [
    path("children/<id:child_pk>/profiles/new/", views.start, name="start"),
    path("profiles/<id:pk>/", views.summary, name="summary"),
    path("profiles/<id:pk>/steps/<slug:step>/", views.step, name="step"),
    path("profiles/<id:pk>/finalise/", views.finalise, name="finalise"),
    path("profiles/<id:pk>/review/", views.review, name="review"),
    path("profiles/<id:pk>/chart.svg", views.chart_svg, name="chart"),
    path("profiles/<id:pk>/pdf/", views.pdf, name="pdf"),
    path("profiles/<id:pk>/family/", views.family_start, name="family-start"),
    path("profiles/<id:pk>/family/check/", views.family_check, name="family-check"),
    path("profiles/<id:pk>/family/<slug:domain>/", views.family_question, name="family-question"),
]
