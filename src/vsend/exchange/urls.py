from django.urls import path

from vsend.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/<id:pk>/", views.setting_page, name="setting"),
    path("settings/<id:pk>/imports/<id:import_pk>/columns/", views.mapping, name="mapping"),
    path("settings/<id:pk>/imports/<id:import_pk>/", views.preview, name="preview"),
    path("settings/<id:pk>/imports/<id:import_pk>/progress/", views.progress, name="progress"),
    path("settings/<id:pk>/register.<str:fmt>", views.export_register, name="export"),
    path("settings/<id:pk>/ctf/", views.export_ctf, name="ctf-export"),
]
