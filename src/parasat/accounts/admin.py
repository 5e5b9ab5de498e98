from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "kind", "country", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "short_name", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "organisation", "is_demo", "is_staff"]
    list_filter = ["is_demo", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("In reviews"),
            {"fields": ["full_name", "position", "organisation", "phone", "language", "is_demo"]},
        ),
    ]
