"""Page URLs of the complaints app (namespace ``complaints``)."""

from django.urls import path

from tuoyu.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_new, name="new"),
    path("submitted/", views.complaint_submitted, name="submitted"),
    path("track/", views.complaint_track, name="track"),
    path("track/<str:code>/", views.complaint_status, name="status"),
    path("track/<str:code>/feedback/", views.complaint_feedback, name="feedback"),
    path("track/<str:code>/reopen/", views.complaint_reopen, name="reopen"),
    path("office/", views.office_queue, name="queue"),
    path("office/<int:pk>/", views.office_detail, name="detail"),
    path("office/<int:pk>/act/", views.office_act, name="act"),
    path("office/<int:pk>/inspect/", views.office_inspect, name="inspect"),
    path("office/<int:pk>/reassign/", views.office_reassign, name="reassign"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("moderation/", views.moderation_queue, name="moderation"),
]
