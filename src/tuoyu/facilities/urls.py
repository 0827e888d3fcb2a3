"""Page URLs of the facilities app (namespace ``facilities``)."""

from django.urls import path

from tuoyu.disclosure.views import legacy_public_detail, legacy_public_list
from tuoyu.facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_create, name="create"),
    path("queue/", views.filing_queue, name="queue"),
    path("public/", legacy_public_list, name="public_list"),  # → /portal/facilities/
    path("public/<int:pk>/", legacy_public_detail, name="public_detail"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/check/", views.facility_check, name="check"),
    path("<int:pk>/classes/new/", views.class_add, name="class_add"),
    path("<int:pk>/classes/<int:class_pk>/edit/", views.class_edit, name="class_edit"),
    path("<int:pk>/classes/<int:class_pk>/delete/", views.class_delete, name="class_delete"),
    path("<int:pk>/staff/new/", views.staff_add, name="staff_add"),
    path("<int:pk>/staff/<int:staff_pk>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/staff/<int:staff_pk>/delete/", views.staff_delete, name="staff_delete"),
    path("<int:pk>/enrolments/new/", views.enrolment_add, name="enrolment_add"),
    path("<int:pk>/enrolments/<int:enrolment_pk>/move/", views.enrolment_move,
         name="enrolment_move"),
    path("<int:pk>/enrolments/<int:enrolment_pk>/leave/", views.enrolment_leave,
         name="enrolment_leave"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download,
         name="document_download"),
    path("<int:pk>/submit/", views.filing_submit, name="submit"),
    path("<int:pk>/cancel/", views.filing_cancel, name="cancel"),
    path("<int:pk>/review/", views.filing_review, name="review"),
    path("<int:pk>/review/file/", views.filing_decide_file, name="file"),
    path("<int:pk>/review/return/", views.filing_decide_return, name="return"),
    path("<int:pk>/review/suspend/", views.filing_sanction, {"action": "suspend"}, name="suspend"),
    path("<int:pk>/review/lift/", views.filing_sanction, {"action": "lift_suspension"},
         name="lift_suspension"),
    path("<int:pk>/review/revoke/", views.filing_sanction, {"action": "revoke"}, name="revoke"),
]
