from django.contrib import admin

from parasat.reviews.models import Amendment, Letter, Participant, Party, Phase, Review, Signature


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["slug", "country", "status", "responsible_body", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["slug"]
    inlines = [PartyInline, PhaseInline, ParticipantInline]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["signatory", "party", "signed_on", "date_is_placeholder"]
    list_filter = ["date_is_placeholder"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["review", "number", "signed_on"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["review", "sent_on", "direction", "reference", "subject"]
    list_filter = ["direction"]
    search_fields = ["subject", "reference"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["review", "user", "role", "organisation", "active"]
    list_filter = ["review", "role", "active"]
    autocomplete_fields = ["user", "organisation"]
