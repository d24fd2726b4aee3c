from django.urls import path

from vsend.organisations import admin_views, class_views

app_name = "organisations"

urlpatterns = [
    path("authorities/new/", admin_views.authority_create, name="authority-create"),
    path("authorities/<id:pk>/", admin_views.authority, name="authority"),
    path("authorities/<id:pk>/import/", admin_views.import_upload, name="import"),
    path(
        "authorities/<id:pk>/import/<id:import_pk>/",
        admin_views.import_preview,
        name="import-preview",
    ),
    path(
        "authorities/<id:pk>/localities/new/", admin_views.locality_create, name="locality-create"
    ),
    path("authorities/<id:pk>/trusts/new/", admin_views.trust_create, name="trust-create"),
    path("authorities/<id:pk>/settings/new/", admin_views.setting_create, name="setting-create"),
    path("settings/<id:pk>/edit/", admin_views.setting_edit, name="setting-edit"),
    path("settings/<id:pk>/classes/", class_views.class_list, name="classes"),
    path(
        "settings/<id:pk>/year-groups/new/", class_views.year_group_create, name="year-group-create"
    ),
    path("settings/<id:pk>/classes/new/", class_views.class_create, name="class-create"),
    path("settings/<id:pk>/classes/move/", class_views.move_children, name="move-children"),
]
