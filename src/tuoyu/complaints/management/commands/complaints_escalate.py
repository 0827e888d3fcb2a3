"""``tuoyu complaints escalate``: escalate overdue complaints (逾期督办)."""

from django.core.management.base import BaseCommand

from tuoyu.complaints.services import complaints_escalate


class Command(BaseCommand):
    """Escalate complaints past their acknowledge or answer deadline.

    Idempotent (a complaint is escalated only when its level rises), audited; the
    officers and their supervisors are notified. Prints how many were escalated.
    """

    help = "Escalate overdue complaints (idempotent, audited)."

    def handle(self, *args, **options):
        count = complaints_escalate(actor=None)
        self.stdout.write(f"escalated {count}")
