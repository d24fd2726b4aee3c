from django.urls import path

from vsend.voice import views

app_name = "voice"

urlpatterns = [
    path("children/<id:child_pk>/about-me/", views.start, name="start"),
    path(
        "children/<id:child_pk>/about-me/questions/<slug:question>/",
        views.question,
        name="question",
    ),
    path("children/<id:child_pk>/about-me/areas/<slug:domain>/", views.area, name="area"),
    path("children/<id:child_pk>/about-me/check/", views.check, name="check"),
    path("children/<id:child_pk>/about-me/versions/<id:number>/", views.version, name="version"),
]
