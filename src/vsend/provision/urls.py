from django.urls import path

from vsend.provision import views_catalogue as catalogue
from vsend.provision import views_groups as groups
from vsend.provision import views_maps as maps

app_name = "provision"

urlpatterns = [
    path("settings/<id:pk>/", catalogue.setting_home, name="setting"),
    path("settings/<id:pk>/catalogue/add", catalogue.provision_add, name="provision-add"),
    path("settings/<id:pk>/library", catalogue.library_add, name="library"),
    path("settings/<id:pk>/staff", catalogue.staff_roles, name="staff"),
    path("settings/<id:pk>/budget", catalogue.budget, name="budget"),
    path("settings/<id:pk>/groups/add", groups.group_add, name="group-add"),
    path("settings/<id:pk>/map", maps.setting_map_page, name="setting-map"),
    path("settings/<id:pk>/map.xlsx", maps.setting_map_xlsx, name="setting-map-xlsx"),
    path("settings/<id:pk>/achieves", maps.achieves, name="achieves"),
    path("catalogue/<id:pk>/edit", catalogue.provision_edit, name="provision-edit"),
    path("staff/<id:pk>/edit", catalogue.staff_role_edit, name="staff-edit"),
    path("groups/<id:pk>/", groups.group_detail, name="group"),
    path("groups/<id:pk>/add-child", groups.group_add_child, name="group-add-child"),
    path("plan-actions/<id:pk>/", groups.from_action, name="from-action"),
    path("children/<id:pk>/map", maps.child_map_page, name="child-map"),
    path("children/<id:pk>/map.xlsx", maps.child_map_xlsx, name="child-map-xlsx"),
    path("children/<id:pk>/map.pdf", maps.child_map_pdf, name="child-map-pdf"),
    path("authority/", maps.authority_page, name="authority"),
    path("authority.xlsx", maps.authority_xlsx, name="authority-xlsx"),
]
