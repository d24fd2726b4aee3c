from django.urls import path

from vsend.records import views

app_name = "records"

urlpatterns = [
    path("children/<id:pk>/record.json", views.export_record, name="export"),
    path("import/", views.import_record, name="import"),
]
