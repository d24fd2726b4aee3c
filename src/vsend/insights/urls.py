from django.urls import path

from vsend.insights import compare_views, views

app_name = "insights"

urlpatterns = [
    path("settings/<id:pk>/", views.setting_page, name="setting"),
    path("settings/<id:pk>/export.<str:fmt>", views.setting_export, name="setting-export"),
    path("settings/<id:pk>/governors.pdf", views.governors_summary, name="governors"),
    path("authority/", views.authority_page, name="authority"),
    path("authority/export.<str:fmt>", views.authority_export, name="authority-export"),
    path("authorities/<id:pk>/sharing/", compare_views.sharing, name="sharing"),
    path("authorities/compare/", compare_views.compare_page, name="compare"),
]
