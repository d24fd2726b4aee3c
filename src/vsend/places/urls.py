from django.urls import path

from vsend.places import views

app_name = "places"

urlpatterns = [
    path("", views.authority_page, name="authority"),
    path("places.csv", views.authority_csv, name="authority-csv"),
    path("places.xlsx", views.authority_xlsx, name="authority-xlsx"),
    path("authorities/<id:pk>/schools/", views.schools, name="schools"),
    path("authorities/<id:pk>/areas/", views.areas, name="areas"),
    path("settings/<id:pk>/designation/", views.designation, name="designation"),
    path("children/<id:pk>/placement/", views.placement, name="placement"),
]
