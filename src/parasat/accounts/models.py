import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.accounts.caching import user_cache_key
from parasat.core.fields import TranslatedTextField
from parasat.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    """A government, ministry, international organisation, directorate, member
    country, civil-society organisation or business association."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        MINISTRY = "ministry", _("Ministry or state body")
        INTERNATIONAL = "international", _("International organisation")
        DIRECTORATE = "directorate", _("Directorate or unit of an international organisation")
        MEMBER_COUNTRY = "member_country", _("Member country")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
        BUSINESS = "business", _("Business association")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = TranslatedTextField(_("name"))
    short_name = TranslatedTextField(
        _("short name"), blank=True, help_text=_("What tables and lists show, when set.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country code"), max_length=2, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        """The short name, else the name, in the reader's language."""
        # A short name given only in other languages has no English to fall back on.
        return str(self.short_name) or str(self.name)


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class User(AbstractUser):
    """A person who may sign in. Roles are held per review (see reviews.Participant)."""

    # A position is listed for translation to those who see the person's reviews.
    translation_scope = ("participations__review", "review.view_people")

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = TranslatedTextField(_("position"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Set when a signed-in person switches the language; emails are written in
    # it (empty: the site's default language).
    language = models.CharField(_("language"), max_length=8, choices=language_choices, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("A fictional person created for trying out Parasat."),
    )

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(user_cache_key(self.pk))

    def delete(self, *args, **kwargs):
        key = user_cache_key(self.pk)
        result = super().delete(*args, **kwargs)
        cache.delete(key)
        return result

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal token with which a program calls the JSON API as its person,
    with exactly their permissions. The token itself is shown once, when it is
    made; only a keyed hash of it is kept (see :mod:`parasat.accounts.services`)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the program that will use it."),
    )
    # HMAC-SHA256 of the token under the site's secret key, in hex.
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    # The token's first characters, so that a person can tell their tokens apart.
    hint = models.CharField(_("beginning"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    def is_active(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
