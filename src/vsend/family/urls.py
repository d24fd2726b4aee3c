from django.urls import path

from vsend.family import settings, views

app_name = "family"

urlpatterns = [
    path("<id:pk>/", views.family_home, name="home"),
    path("<id:pk>/who-opened/", views.family_access, name="access"),
    path("authorities/<id:pk>/staff-names/", settings.staff_names, name="staff-names"),
]
