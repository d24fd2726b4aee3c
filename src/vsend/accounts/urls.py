from django.urls import path

from vsend.accounts import invitation_views, recovery_views, reset_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("sign-in/recovery-code/", recovery_views.mfa_recovery, name="mfa-recovery"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password-reset/", reset_views.ResetRequest.as_view(), name="password-reset"),
    path("password-reset/sent/", reset_views.ResetSent.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        reset_views.ResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", reset_views.ResetDone.as_view(), name="password-reset-done"),
    path("account/", views.account, name="account"),
    path("account/language/", views.language, name="language"),
    path("account/security/", views.mfa_setup, name="mfa-setup"),
    path("account/recovery-codes/", recovery_views.recovery_codes, name="recovery-codes"),
    path("account/tokens/new/", views.token_create, name="token-create"),
    path("account/tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("invitations/<str:token>/", invitation_views.accept, name="invitation"),
    path(
        "people/<id:pk>/reset-authenticator/",
        recovery_views.reset_person_authenticator,
        name="reset-authenticator",
    ),
]
