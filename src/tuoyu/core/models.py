"""Abstract base models shared by every domain app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at`` (aware datetimes, set by the database layer)."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class ExternalKeyModel(models.Model):
    """Stable external key for imports and integrations: (``source_system``, ``external_id``).

    Repeated uploads of the same record upsert on this pair, so they are safe to re-run.
    Blank ``external_id`` means the record was created in Tuoyu itself.
    """

    source_system = models.CharField(max_length=50, blank=True, default="")
    external_id = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        abstract = True
