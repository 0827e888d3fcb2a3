"""``tuoyu api_token create USERNAME --name N`` / ``revoke PREFIX`` / ``list USERNAME``.

``create`` prints the new token once (only its SHA-256 is stored); ``revoke`` revokes the
token(s) whose prefix is given; ``list`` shows a user's tokens (prefix, name, dates).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tuoyu.api.models import ApiToken
from tuoyu.api.services import api_token_create, api_token_revoke
from tuoyu.core.errors import DomainError


class Command(BaseCommand):
    """Create, revoke and list per-user API tokens (接口令牌) from the command line."""

    help = "Create, revoke or list API tokens: api_token create USERNAME --name NAME"

    def add_arguments(self, parser):
        """Sub-commands ``create``, ``revoke``, ``list``."""
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("username")

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no such user: {username}") from None

    def handle(self, *args, **options):
        """Run the sub-command; raises CommandError for an unknown user or prefix."""
        action = options["action"]
        if action == "create":
            try:
                issued = api_token_create(actor=None, user=self._user(options["username"]),
                                          name=options["name"])
            except DomainError as exc:
                raise CommandError(f"{exc.code}: {exc.message}") from None
            self.stdout.write(issued.key)
            self.stderr.write("Store this token now: it is not shown again.")
        elif action == "revoke":
            tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
            if not tokens:
                raise CommandError(f"no active token with prefix {options['prefix']}")
            for token in tokens:
                api_token_revoke(actor=None, token=token)
            self.stdout.write(f"revoked {len(tokens)}")
        else:
            for token in ApiToken.objects.filter(user=self._user(options["username"])):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d}\t"
                    f"{token.last_used_at or '-'}\t{state}"
                )
