from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Employee demand surveys (职工托育需求调查), projections, capacity and cost-sharing plans."""

    name = "tuoyu.surveys"
    label = "surveys"
    verbose_name = "Surveys"
