"""Django admin for people, organisations and memberships.

Writes go through the services, so the admin keeps the same rules (credit code, active
division, levels and parents, role fits the organisation kind) and every change is
audited. Memberships are withdrawn (停用), never deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts import services
from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.accounts.permissions import clear_cache, role_fits_kind
from tuoyu.accounts.services import USER_AUDIT_FIELDS
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.errors import DomainError


def _domain_to_validation(exc: DomainError) -> ValidationError:
    field = exc.field if exc.field and exc.field != "division_code" else None
    if exc.field == "division_code":
        field = "division"
    return ValidationError({field: exc.message} if field else exc.message)


class MembershipForm(forms.ModelForm):
    """A membership whose role must fit its organisation's kind (ACC-010)."""

    class Meta:
        model = Membership
        fields = ["user", "organization", "role", "is_active"]

    def clean(self):
        cleaned = super().clean()
        org = cleaned.get("organization")
        role = cleaned.get("role")
        if self.instance.pk is not None and (
            (org is not None and org.pk != self.instance.organization_id)
            or (role and role != self.instance.role)
        ):
            raise ValidationError(
                _("角色和机构不能修改：请停用此成员关系，再新增一个。"), code="immutable"
            )
        if org is not None and role and not role_fits_kind(role, org.kind):
            raise ValidationError({"role": _("该角色不能设在此类机构中。")}, code="role_kind")
        return cleaned


class MembershipInline(admin.TabularInline):
    """Memberships of a person, edited on the person's page."""

    model = Membership
    form = MembershipForm
    fk_name = "user"
    extra = 0
    can_delete = False
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "is_active"]


def _save_membership(request, membership: Membership, *, is_new: bool) -> None:
    """Save an admin-edited membership through the services (add, deactivate) or audited."""
    if is_new:
        if membership.is_active:
            services.membership_add(
                actor=request.user,
                user=membership.user,
                organization=membership.organization,
                role=membership.role,
            )
        return
    old = Membership.objects.get(pk=membership.pk)
    if old.is_active and not membership.is_active:
        services.membership_deactivate(actor=request.user, membership=old)
    elif not old.is_active and membership.is_active:
        services.membership_add(
            actor=request.user, user=old.user, organization=old.organization, role=old.role
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People who sign in, with their memberships inline. Roles come only from memberships."""

    inlines = [MembershipInline]
    list_display = ("username", "display_name", "phone", "is_active", "is_staff")
    search_fields = ("username", "display_name", "phone", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("联系信息"), {"fields": ("display_name", "phone")}),
    )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk), USER_AUDIT_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj, USER_AUDIT_FIELDS)
        if before != after:
            audit_record(
                actor=request.user,
                action="user.update" if change else "user.create",
                obj=obj,
                before=before,
                after=after,
            )

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        try:
            for membership in formset.save(commit=False):
                _save_membership(request, membership, is_new=membership.pk is None)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        clear_cache(form.instance)
        return None


class OrganizationForm(forms.ModelForm):
    """Organisation form checked with the service's rules (:func:`organization_validate`)."""

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "credit_code",
            "division",
            "level",
            "parent",
            "department_type",
            "industry",
            "ownership_type",
            "headcount",
            "address",
            "is_active",
            "source_system",
            "external_id",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        probe = Organization(pk=self.instance.pk)
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(probe, name, cleaned[name])
        try:
            if probe.division_id is not None:
                services.division_for(probe.division)
            services.organization_validate(probe)
        except DomainError as exc:
            raise _domain_to_validation(exc) from exc
        cleaned["credit_code"] = probe.credit_code
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organisations of every kind; search by name or credit code, filter by kind and level."""

    form = OrganizationForm
    list_display = ("name", "kind", "level", "division", "credit_code", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "name_search", "credit_code")
    autocomplete_fields = ["parent"]
    raw_id_fields = ["division", "industry"]
    list_select_related = ("division",)

    def get_search_results(self, request, queryset, search_term):
        # Credit codes are stored normalised: normalise the term the same way.
        from tuoyu.core.text import normalize_identifier, normalize_search

        qs, dup = super().get_search_results(request, queryset, search_term)
        if search_term:
            qs = qs | queryset.filter(credit_code=normalize_identifier(search_term))
            qs = qs | queryset.filter(name_search__contains=normalize_search(search_term))
        return qs, dup

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        division = data.pop("division")
        kind, name, credit_code = data.pop("kind"), data.pop("name"), data.pop("credit_code")
        if change:
            updated = services.organization_update(
                actor=request.user,
                organization=obj,
                kind=kind,
                name=name,
                credit_code=credit_code,
                division_code=division,
                **data,
            )
        else:
            updated = services.organization_create(
                actor=request.user,
                kind=kind,
                name=name,
                division_code=division,
                credit_code=credit_code,
                **data,
            )
        obj.pk = updated.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        # Organisations are deactivated, not deleted: audit events and facilities refer to them.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Memberships (成员关系): who holds which role where. Withdrawn, never deleted."""

    form = MembershipForm
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "organization__kind")
    search_fields = ("user__username", "user__display_name", "organization__name")
    autocomplete_fields = ["user", "organization"]
    list_select_related = ("user", "organization")

    def save_model(self, request, obj, form, change):
        try:
            if change:
                _save_membership(request, obj, is_new=False)
            else:
                saved = services.membership_add(
                    actor=request.user,
                    user=obj.user,
                    organization=obj.organization,
                    role=obj.role,
                )
                obj.pk = saved.pk
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def has_delete_permission(self, request, obj=None):
        return False
