"""The translations page lists a text only to those who may read it: every
model with translated texts either belongs to a review and says how
(``translation_scope``), or is shared content everyone signed in reads."""

from parasat.core.selectors import translated_fields

SHARED = {
    "accounts.organisation",
    "toolkit.pillar",
    "toolkit.policyarea",
    "toolkit.instrument",
    "toolkit.provision",
    "toolkit.questionnaire",
    "toolkit.choice",
    "toolkit.question",
    "analysis.ratingscale",
    "analysis.ratinglevel",
}


def test_every_model_with_translated_texts_is_scoped_to_a_review_or_shared():
    unscoped = {
        model._meta.label_lower
        for model, _fields in translated_fields()
        if getattr(model, "translation_scope", None) is None
    }
    assert unscoped == SHARED
