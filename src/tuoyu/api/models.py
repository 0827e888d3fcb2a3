"""Per-user API tokens (接口令牌).

Only the SHA-256 of a token is stored; the token itself is shown once when created. The
first characters (``prefix``) are kept in clear so a person can tell their tokens apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A named, revocable API token of one user.

    ``key_hash``: hex SHA-256 of the token (64 characters); ``prefix``: its first 8
    characters; ``last_used_at`` is updated at most once a minute; ``revoked_at`` set =
    refused from then on. A token acts with exactly the roles of its user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["user_id", "-created_at", "id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        """True until the token is revoked."""
        return self.revoked_at is None
