"""Demo accounts: one fictional person per role, clearly marked as demo."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from parasat.accounts.models import Organisation, User
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Participant, Review, Role


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: Role
    organisation: str


DEMO_ORGANISATIONS = {
    "demo-member-country": (
        "member_country",
        "Demo member country (demo)",
        "Демо-страна-член (демо)",
        "Демо мүше ел (демо)",
    ),
    "demo-civil-society": (
        "civil_society",
        "Open Integrity Network (demo)",
        "Сеть «Открытая добросовестность» (демо)",
        "«Ашық парасаттылық» желісі (демо)",
    ),
    "demo-business": (
        "business",
        "Business Integrity Association (demo)",
        "Ассоциация деловой добросовестности (демо)",
        "Іскерлік парасаттылық қауымдастығы (демо)",
    ),
}

# Names only: a name reads the same on Kazakh, Russian and English pages and
# in emails, so it carries no role (the pages say the role, translated) and no
# "demo" (a translated badge marks demo people).
DEMO_PEOPLE = [
    DemoPerson("demo-coordinator", "Aigerim Demo", Role.COORDINATOR, "kz-mne"),
    DemoPerson("demo-contact", "Nurlan Demo", Role.CONTACT_PERSON, "kz-mne"),
    DemoPerson("demo-analyst", "Claire Demo", Role.ANALYST, "oecd-sge"),
    DemoPerson("demo-expert", "Marco Demo", Role.EXPERT, "oecd-gov"),
    DemoPerson("demo-peer", "Ingrid Demo", Role.PEER_REVIEWER, "demo-member-country"),
    DemoPerson("demo-consultant", "Dana Demo", Role.LOCAL_CONSULTANT, ""),
    DemoPerson("demo-civil", "Asel Demo", Role.CIVIL_SOCIETY, "demo-civil-society"),
    DemoPerson("demo-business", "Timur Demo", Role.BUSINESS, "demo-business"),
]


@transaction.atomic
def demo_accounts_ensure(*, review: Review, reset: bool = False) -> list[tuple[str, str, str]]:
    """Create the demo people missing in ``review``; return (username, role, password)
    for those created (or, with ``reset``, for all, with new passwords)."""
    for code, (kind, en, ru, kk) in DEMO_ORGANISATIONS.items():
        Organisation.objects.get_or_create(
            code=code,
            defaults={"kind": kind, "name": TranslatedText.fresh({"en": en, "ru": ru, "kk": kk})},
        )
    created: list[tuple[str, str, str]] = []
    for person in DEMO_PEOPLE:
        org = Organisation.objects.filter(code=person.organisation).first()
        user = User.objects.filter(username=person.username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(
                person.username,
                email=f"{person.username}@example.invalid",
                password=password,
                full_name=person.full_name,
                organisation=org,
                is_demo=True,
            )
        else:
            if user.is_demo and user.full_name.startswith(f"{person.full_name} ("):
                # Made before names dropped their English role word ("Nurlan Demo
                # (contact person)"); a name someone changed is left alone.
                user.full_name = person.full_name
                user.save(update_fields=["full_name"])
            if reset:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save(update_fields=["password"])
        Participant.objects.get_or_create(
            review=review, user=user, role=person.role, defaults={"organisation": org}
        )
        if password:
            created.append((person.username, str(person.role.label), password))
    return created
