"""Template tags of the designation app: the portal section on named units and publicity."""

from __future__ import annotations

from django import template

from tuoyu.core.dates import is_overdue
from tuoyu.designation.models import Designation, Publicity
from tuoyu.designation.naming import designation_years

register = template.Library()


@register.simple_tag
def designation_portal_summary() -> dict[str, object]:
    """Public facts for the portal: ``years`` with named units (latest first), ``latest`` year,
    ``latest_count`` units named that year, and ``publicities`` whose period is running
    (objections still accepted)."""
    years = designation_years()
    latest = years[0] if years else None
    running = [p for p in Publicity.objects.select_related("campaign").order_by("-starts_on")[:5]
               if not is_overdue(p.ends_on)]
    return {
        "years": years,
        "latest": latest,
        "latest_count": Designation.objects.filter(year=latest).count() if latest else 0,
        "publicities": running,
    }
