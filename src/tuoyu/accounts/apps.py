from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, people, memberships, roles and jurisdictions (机构、人员、角色、辖区)."""

    name = "tuoyu.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tuoyu.accounts.permissions import invalidate_all

        for model_name in ("Membership", "Organization", "User"):
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    invalidate_all, sender=model, dispatch_uid=f"tuoyu-perm-cache-{model_name}"
                )
