"""Page URLs of the complaints app (namespace ``complaints``)."""

app_name = "complaints"

urlpatterns: list = []
