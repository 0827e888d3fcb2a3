"""Page URLs of the accounts app (namespace ``accounts``)."""

from django.urls import path

from tuoyu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
]
