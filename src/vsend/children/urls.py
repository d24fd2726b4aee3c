from django.urls import path

from vsend.children import views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("<id:pk>/", views.child_detail, name="detail"),
    path("<id:pk>/edit/", views.child_edit, name="edit"),
    path("<id:pk>/access/", views.child_access, name="access"),
]
