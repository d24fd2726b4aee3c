from django.urls import path

from vsend.exports import views

app_name = "exports"

urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/file", views.file, name="file"),
]
