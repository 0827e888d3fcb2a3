"""Employee demand surveys (职工托育需求调查), projections, capacity and cost-sharing plans."""
