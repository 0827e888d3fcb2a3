"""``flush`` that may empty the audit tables too (the append-only guard is lifted for it alone)."""

from django.core.management.commands.flush import Command as DjangoFlushCommand

from tuoyu.audit.guard import purge_allowed


class Command(DjangoFlushCommand):
    """Django's ``flush`` (remove all data from the database), run inside :func:`purge_allowed`.

    Needed on SQLite, where the audit tables' delete trigger otherwise aborts the
    ``DELETE FROM`` statements that ``flush`` issues (tests that use transactions rely on
    it). Single audit events can still never be deleted.
    """

    help = DjangoFlushCommand.help + " Audit rows are removed as well."

    def handle(self, **options):
        with purge_allowed():
            return super().handle(**options)
