"""Read-only admin: the ledger is written through the services only, so that
every entry keeps who and when and nothing is edited or deleted."""

from django.contrib import admin

from parasat.finance.models import Budget, BudgetLine, Entry, Funding


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["review", "currency", "total", "fee_amount", "fee_rate", "terminated_on"]
    inlines = [BudgetLineInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "review", "on", "kind", "line", "amount", "reverses", "recorded_by"]
    list_filter = ["review", "kind"]
    list_select_related = ["review", "line", "reverses", "recorded_by"]


@admin.register(Funding)
class FundingAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "on", "amount", "reference", "recorded_by"]
    list_select_related = ["review", "recorded_by"]
