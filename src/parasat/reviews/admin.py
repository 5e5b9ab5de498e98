from django.contrib import admin

from parasat.reviews.models import Amendment, Letter, Participant, Party, Phase, Review, Signature
from parasat.reviews.services import review_touch


class TouchesReview(admin.ModelAdmin):
    """Edits in the admin mark the review as changed, like the services do."""

    def review_id_of(self, obj) -> int:
        return obj.review_id

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        review_touch(review=self.review_id_of(obj))

    def delete_model(self, request, obj) -> None:
        review_id = self.review_id_of(obj)
        super().delete_model(request, obj)
        review_touch(review=review_id)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        review_touch(review=self.review_id_of(form.instance))


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
class ReviewAdmin(TouchesReview):
    list_display = ["slug", "country", "status", "responsible_body", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["slug"]
    inlines = [PartyInline, PhaseInline, ParticipantInline]

    def review_id_of(self, obj) -> int:
        return obj.pk


@admin.register(Signature)
class SignatureAdmin(TouchesReview):
    list_display = ["signatory", "party", "signed_on", "date_is_placeholder"]
    list_filter = ["date_is_placeholder"]

    def review_id_of(self, obj) -> int:
        return obj.party.review_id


@admin.register(Amendment)
class AmendmentAdmin(TouchesReview):
    list_display = ["review", "number", "signed_on"]


@admin.register(Letter)
class LetterAdmin(TouchesReview):
    list_display = ["review", "sent_on", "direction", "reference", "subject"]
    list_filter = ["direction"]
    search_fields = ["subject", "reference"]


@admin.register(Participant)
class ParticipantAdmin(TouchesReview):
    list_display = ["review", "user", "role", "organisation", "active"]
    list_filter = ["review", "role", "active"]
    autocomplete_fields = ["user", "organisation"]
