from django.urls import path

from vsend.accounts import invitation_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("account/", views.account, name="account"),
    path("account/security/", views.mfa_setup, name="mfa-setup"),
    path("account/tokens/new/", views.token_create, name="token-create"),
    path("account/tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("invitations/<str:token>/", invitation_views.accept, name="invitation"),
]
