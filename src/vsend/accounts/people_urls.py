from django.urls import path

from vsend.accounts import people_views as views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("authorities/<id:pk>/", views.authority_people, name="authority"),
    path("authorities/<id:pk>/invite/", views.authority_invite, name="authority-invite"),
    path("settings/<id:pk>/", views.setting_people, name="setting"),
    path("settings/<id:pk>/invite/", views.setting_invite, name="setting-invite"),
    path("roles/<id:pk>/", views.membership_change, name="membership"),
    path("accounts/<id:pk>/suspend/", views.suspend, name="suspend"),
    path("accounts/<id:pk>/restore/", views.restore, name="restore"),
    path("invitations/<id:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<id:pk>/cancel/", views.invitation_cancel, name="invitation-cancel"),
]
