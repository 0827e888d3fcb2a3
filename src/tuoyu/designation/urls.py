"""Page URLs of the designation app (namespace ``designation``)."""

from django.urls import path

from tuoyu.designation import award_views, reassessment_views, views

app_name = "designation"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/apply/<int:employer_pk>/", views.application_create, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("applications/<int:pk>/opinion/", views.application_opinion, name="opinion"),
    path("applications/<int:pk>/materials/", views.material_add, name="material_add"),
    path("applications/<int:pk>/materials/<int:material_pk>/", views.material_download,
         name="material"),
    path("queue/", views.queue, name="queue"),
    path("campaigns/<int:pk>/scoring/", award_views.scoring_board, name="scoring"),
    path("applications/<int:pk>/scores/", award_views.application_scores, name="scores"),
    path("experts/assignments/", award_views.expert_assignments, name="assignments"),
    path("campaigns/<int:pk>/selection/", award_views.selection, name="selection"),
    path("campaigns/<int:pk>/objections/", award_views.objections, name="objections"),
    path("publicity/<int:pk>/", award_views.publicity_page, name="publicity"),
    path("named/", award_views.yearly_list, name="named"),
    path("named/<int:year>/", award_views.yearly_list, name="named_year"),
    path("certificates/<str:number>/", award_views.certificate, name="certificate"),
    path("reassessment/", reassessment_views.reassessment_list, name="reassessment"),
    path("designations/<int:pk>/review/", reassessment_views.designation_review,
         name="designation_review"),
    path("mine/", reassessment_views.my_designations, name="mine"),
    path("designations/<int:pk>/reports/<int:year>/", reassessment_views.report_file,
         name="report"),
]
