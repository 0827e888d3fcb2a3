from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, people, memberships, roles and jurisdictions (机构、人员、角色、辖区)."""

    name = "tuoyu.accounts"
    label = "accounts"
    verbose_name = "Accounts"
