from django.urls import path

from vsend.children import move_views, views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("<id:pk>/", views.child_detail, name="detail"),
    path("<id:pk>/edit/", views.child_edit, name="edit"),
    path("<id:pk>/access/", views.child_access, name="access"),
    path("<id:pk>/leaving/", move_views.record_leaving, name="leaving"),
    path("<id:pk>/transfer/", move_views.transfer, name="transfer"),
    path("join/", move_views.join, name="join"),
    path("join/<id:pk>/", move_views.joined, name="joined"),
]
