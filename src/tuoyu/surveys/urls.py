"""Page URLs of the surveys app (namespace ``surveys``).

Surveys, distribution and answering are here; results and paper import in
:mod:`tuoyu.surveys.results_urls`; plans in :mod:`tuoyu.surveys.planning.urls`.
Answer links: ``a/<token>/`` personal, ``o/<token>/`` open.
"""

from django.urls import include, path

from tuoyu.surveys import views

app_name = "surveys"

urlpatterns: list = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/status/<slug:action>/", views.survey_transition, name="transition"),
    path("<int:pk>/open-link/", views.survey_open_link, name="open_link"),
    path("<int:pk>/links/", views.survey_links, name="links"),
    path("<int:pk>/links/print/", views.survey_links_print, name="links_print"),
    path("<int:pk>/links.csv", views.survey_links_csv, name="links_csv"),
    path("a/<str:token>/", views.answer, name="answer"),
    path("a/<str:token>/thanks/", views.answer_thanks, name="answer_thanks"),
    path("o/<str:token>/", views.open_answer, name="open_answer"),
    path("o/<str:token>/thanks/", views.open_answer_thanks, name="open_answer_thanks"),
    path("", include("tuoyu.surveys.results_urls")),
    path("", include("tuoyu.surveys.planning.urls")),
]
