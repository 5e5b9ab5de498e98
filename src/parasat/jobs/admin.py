from django.contrib import admin

from parasat.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "review", "requested_by", "state", "progress"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "requested_by__username"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
