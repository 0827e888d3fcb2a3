"""Django admin for facilities: read-only, because every write goes through the services.

Changes made in the admin would skip validation of the workflow and the audit trail, so
the admin only lists and shows records (for support staff); edits happen on the pages.
"""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.facilities.models import Facility, FilingEvent


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    """Facilities (托育机构) by name, county and filing status."""

    list_display = ("name", "division", "operator", "filing_status", "receipt_number", "filed_on")
    list_filter = ("filing_status", "provision_model")
    search_fields = ("name", "name_search", "receipt_number", "division__code")
    list_select_related = ("division", "operator")
    show_full_result_count = False


@admin.register(FilingEvent)
class FilingEventAdmin(ReadOnlyAdmin):
    """Filing events (备案流程记录), append-only."""

    list_display = ("facility", "action", "from_status", "to_status", "actor", "at", "deadline",
                    "deadline_provisional")
    list_filter = ("action", "deadline_provisional")
    list_select_related = ("facility", "actor")
    raw_id_fields = ("facility", "actor")
