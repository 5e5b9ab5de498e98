"""Who may do what in a review. Every view and API call checks one of these
permissions through :mod:`parasat.reviews.access`; this table is the only place
where roles map to permissions."""

from enum import StrEnum

from parasat.reviews.models import Role


class Perm(StrEnum):
    VIEW = "review.view"
    VIEW_PEOPLE = "review.view_people"
    VIEW_CORRESPONDENCE = "review.view_correspondence"
    EDIT_AGREEMENT = "review.edit_agreement"
    MANAGE_PEOPLE = "review.manage_people"
    VIEW_TRANSLATIONS = "review.view_translations"
    VIEW_FINANCE = "finance.view"
    EDIT_FINANCE = "finance.edit"
    # The toolkit is global: whoever holds this in any review may import
    # questionnaires and make new versions (staff may too).
    MANAGE_TOOLKIT = "toolkit.manage_toolkit"


_ALL_ROLES = frozenset(Role)
_GOVERNMENT = frozenset({Role.COORDINATOR, Role.CONTACT_PERSON})
_ANALYTICAL_TEAM = frozenset({Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT})

ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.VIEW: _ALL_ROLES,
    Perm.VIEW_PEOPLE: _ALL_ROLES,
    # Letters between the parties stay between the parties.
    Perm.VIEW_CORRESPONDENCE: _GOVERNMENT | _ANALYTICAL_TEAM,
    Perm.EDIT_AGREEMENT: frozenset({Role.COORDINATOR, Role.ANALYST}),
    # The co-ordinator appoints the working group; the analytical team adds its
    # experts, peer reviewers and stakeholders (Annex I §IV step 2, §VI).
    Perm.MANAGE_PEOPLE: frozenset({Role.COORDINATOR, Role.ANALYST}),
    Perm.VIEW_TRANSLATIONS: frozenset({Role.COORDINATOR, Role.ANALYST, Role.LOCAL_CONSULTANT}),
    # Finance: the organisation's analysts and the responsible body's co-ordinator
    # see it; entries are made by the organisation's side.
    Perm.VIEW_FINANCE: frozenset({Role.COORDINATOR, Role.ANALYST}),
    Perm.EDIT_FINANCE: frozenset({Role.ANALYST}),
    Perm.MANAGE_TOOLKIT: frozenset({Role.ANALYST}),
}

# What an anonymous reader may see of a review marked public.
PUBLIC_PERMISSIONS: frozenset[Perm] = frozenset({Perm.VIEW})


def roles_allow(roles: set[str] | frozenset[str], perm: Perm) -> bool:
    allowed = ROLE_PERMISSIONS[perm]
    return any(role in allowed for role in roles)
