from django.urls import path

from vsend.profiles import views

app_name = "profiles"

urlpatterns = [
    path("children/<int:child_pk>/profiles/new/", views.start, name="start"),
    path("profiles/<int:pk>/", views.summary, name="summary"),
    path("profiles/<int:pk>/steps/<slug:step>/", views.step, name="step"),
    path("profiles/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("profiles/<int:pk>/review/", views.review, name="review"),
    path("profiles/<int:pk>/chart.svg", views.chart_svg, name="chart"),
    path("profiles/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("profiles/<int:pk>/family/", views.family_start, name="family-start"),
    path("profiles/<int:pk>/family/check/", views.family_check, name="family-check"),
    path("profiles/<int:pk>/family/<slug:domain>/", views.family_question, name="family-question"),
]
