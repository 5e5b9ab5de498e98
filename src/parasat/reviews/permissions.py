"""Who may do what in a review. Every view and API call checks one of these
permissions through :mod:`parasat.reviews.access`; this table is the only place
where roles map to permissions."""

from enum import StrEnum

from parasat.reviews.models import Role


class Perm(StrEnum):
    VIEW = "review.view"
    VIEW_PEOPLE = "review.view_people"
    VIEW_CONTACT_DETAILS = "review.view_contact_details"
    VIEW_CORRESPONDENCE = "review.view_correspondence"
    VIEW_AMENDMENTS = "review.view_amendments"
    EDIT_AGREEMENT = "review.edit_agreement"
    MANAGE_PEOPLE = "review.manage_people"
    VIEW_TRANSLATIONS = "review.view_translations"
    VIEW_FINANCE = "finance.view"
    EDIT_FINANCE = "finance.edit"
    # Self-assessment. Which answers a role reads is decided per answer in
    # parasat.assessment.access (ministry, state, confidentiality, stage).
    VIEW_ASSESSMENT = "assessment.view"
    ASSIGN_WORK = "assessment.assign"
    ANSWER = "assessment.answer"
    DECIDE_ANSWERS = "assessment.decide"
    VIEW_PROGRESS = "assessment.view_progress"
    COMMENT = "assessment.comment"
    IMPORT_ANSWERS = "assessment.import"
    OPEN_PEER_REVIEW = "assessment.open_peer_review"
    PUBLISH_ANSWERS = "assessment.publish"
    # Analysis. Which assessments a role reads is decided per assessment in
    # parasat.analysis.access (state, confidentiality, stage).
    VIEW_ANALYSIS = "analysis.view"
    DRAFT_ANALYSIS = "analysis.draft"
    AGREE_ANALYSIS = "analysis.agree"
    COMMENT_ANALYSIS = "analysis.comment"
    RATE_FOR_GOVERNMENT = "analysis.rate_for_government"
    MANAGE_ANALYSIS = "analysis.manage"
    # Engagement: the five events and the consultations (Annex I §IV.3–5, §V).
    # Which minutes, documents and contributions a role reads is decided per
    # item in parasat.engagement.access (confidentiality, stage).
    VIEW_EVENTS = "engagement.view"
    MANAGE_EVENTS = "engagement.manage"
    VIEW_CONSULTATIONS = "engagement.view_consultations"
    RUN_CONSULTATIONS = "engagement.run_consultations"
    CONTRIBUTE = "engagement.contribute"
    VIEW_CONTRIBUTIONS = "engagement.view_contributions"
    # Stakeholder surveys: which surveys' results a role reads is decided per
    # survey in parasat.engagement.access (published, confidentiality).
    VIEW_SURVEYS = "engagement.view_surveys"
    RUN_SURVEYS = "engagement.run_surveys"
    # Reports. Which stage's text a role reads, and where it may comment, is
    # decided per stage in parasat.reports.access.
    VIEW_REPORT = "report.view"
    DRAFT_REPORT = "report.draft"
    MANAGE_REPORT = "report.manage"
    COMMENT_REPORT = "report.comment"
    # Action plan and monitoring. Which measures, reports and assessments a role
    # reads is decided in parasat.actionplan.access (plan state, confidentiality).
    VIEW_PLAN = "actionplan.view"
    DRAFT_PLAN = "actionplan.draft"
    REPORT_PROGRESS = "actionplan.report"
    DECIDE_PROGRESS = "actionplan.decide"
    ASSESS_MEASURES = "actionplan.assess"


_ALL_ROLES = frozenset(Role)
_GOVERNMENT = frozenset({Role.COORDINATOR, Role.CONTACT_PERSON})
ANALYTICAL_TEAM = frozenset({Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT})

ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.VIEW: _ALL_ROLES,
    Perm.VIEW_PEOPLE: _ALL_ROLES,
    # Email addresses go to those who work with the people listed: the working
    # group and the analytical team (Annex I §IV step 2, §VI). Peer reviewers
    # and stakeholders see names and organisations.
    Perm.VIEW_CONTACT_DETAILS: _GOVERNMENT | ANALYTICAL_TEAM,
    # Letters between the parties stay between the parties.
    Perm.VIEW_CORRESPONDENCE: _GOVERNMENT | ANALYTICAL_TEAM,
    # The protocols (Art. 8) are read by whoever takes part in the review, and
    # by nobody else: a public overview does not publish them, so a visitor and
    # a person of another review are treated alike.
    Perm.VIEW_AMENDMENTS: _ALL_ROLES,
    Perm.EDIT_AGREEMENT: frozenset({Role.COORDINATOR, Role.ANALYST}),
    # The co-ordinator appoints the working group; the analytical team adds its
    # experts, peer reviewers and stakeholders (Annex I §IV step 2, §VI).
    Perm.MANAGE_PEOPLE: frozenset({Role.COORDINATOR, Role.ANALYST}),
    # The translations page is a to-do list for those who write or translate
    # the texts: the co-ordinator and the analysts write the review's content
    # (they edit the agreement), and the local consultant based in the country
    # (Annex I §VI) is the team's member who works in Kazakh and Russian.
    # Experts, peer reviewers, contact persons and stakeholders read the content
    # in their language and neither write nor translate it.
    Perm.VIEW_TRANSLATIONS: frozenset({Role.COORDINATOR, Role.ANALYST, Role.LOCAL_CONSULTANT}),
    # Finance: the organisation's analysts and the responsible body's co-ordinator
    # see it; entries are made by the organisation's side.
    Perm.VIEW_FINANCE: frozenset({Role.COORDINATOR, Role.ANALYST}),
    Perm.EDIT_FINANCE: frozenset({Role.ANALYST}),
    # Annex I §IV steps 2–4: the co-ordinator distributes the questionnaires,
    # the working group answers, the co-ordinator reviews and forwards the
    # preliminary findings to the analytical team, which later opens peer
    # review and publishes what is marked public.
    Perm.VIEW_ASSESSMENT: _ALL_ROLES,
    Perm.ASSIGN_WORK: frozenset({Role.COORDINATOR}),
    Perm.ANSWER: _GOVERNMENT,
    Perm.DECIDE_ANSWERS: frozenset({Role.COORDINATOR}),
    Perm.VIEW_PROGRESS: frozenset({Role.COORDINATOR}) | ANALYTICAL_TEAM,
    Perm.COMMENT: _GOVERNMENT | ANALYTICAL_TEAM,
    Perm.IMPORT_ANSWERS: frozenset({Role.COORDINATOR}),
    Perm.OPEN_PEER_REVIEW: frozenset({Role.ANALYST}),
    Perm.PUBLISH_ANSWERS: frozenset({Role.ANALYST}),
    # Annex I §IV steps 4–8: the analytical team assesses each area against
    # good practice. Analysts (and the local consultant) draft; an expert or the
    # team lead agrees. The platform has no role of its own for the team lead,
    # who is an analyst of the review: any expert or analyst may agree, except
    # the person who sent the assessment for team review (four eyes, checked in
    # parasat.analysis.services). The co-ordinator reads the drafts, comments
    # and gives the government's own rating beside the team's; the analysts
    # choose the rating scales, open the agreed analysis to the peer reviewers
    # and publish it.
    Perm.VIEW_ANALYSIS: _ALL_ROLES,
    Perm.DRAFT_ANALYSIS: frozenset({Role.ANALYST, Role.LOCAL_CONSULTANT}),
    Perm.AGREE_ANALYSIS: frozenset({Role.ANALYST, Role.EXPERT}),
    Perm.COMMENT_ANALYSIS: frozenset({Role.COORDINATOR}) | ANALYTICAL_TEAM,
    Perm.RATE_FOR_GOVERNMENT: frozenset({Role.COORDINATOR}),
    Perm.MANAGE_ANALYSIS: frozenset({Role.ANALYST}),
    # Annex I §V: the events are held by the OECD analytical team with the
    # working group; the analysts and the co-ordinator schedule them, invite,
    # take attendance and draft the minutes. Everyone of the review reads the
    # calendar (what they may read of each event's papers is per item).
    Perm.VIEW_EVENTS: _ALL_ROLES,
    Perm.MANAGE_EVENTS: frozenset({Role.COORDINATOR, Role.ANALYST}),
    # Annex I §IV.5 and §V.3: the analytical team consults civil society and
    # business (and, here, the public) and answers every contribution; the
    # co-ordinator reads the contributions and the answers (the government's
    # self-assessment is what is discussed). Civil-society and business
    # representatives contribute signed in, in their own channel.
    Perm.VIEW_CONSULTATIONS: _ALL_ROLES,
    Perm.RUN_CONSULTATIONS: ANALYTICAL_TEAM,
    Perm.CONTRIBUTE: frozenset({Role.CIVIL_SOCIETY, Role.BUSINESS}),
    Perm.VIEW_CONTRIBUTIONS: ANALYTICAL_TEAM | frozenset({Role.COORDINATOR}),
    # Stakeholder surveys (integrity reviews survey businesses, civil society,
    # citizens and officials beside the self-assessment): the analytical team
    # and the co-ordinator run them and read the results; the others read the
    # results once published at a level their audience reads.
    Perm.VIEW_SURVEYS: _ALL_ROLES,
    Perm.RUN_SURVEYS: ANALYTICAL_TEAM | frozenset({Role.COORDINATOR}),
    # Articles 4 and 6, Annex I §IV steps 6–9: the analytical team writes the
    # preliminary report (analysts and the local consultant draft, experts
    # too: they answer the comments), the government and later the peer
    # reviewers comment on it, and the analysts issue each stage and publish
    # the final report. Which stage admits whose comments is decided in
    # parasat.reports.access; civil society and business read the published
    # report, as anyone does.
    Perm.VIEW_REPORT: _ALL_ROLES,
    Perm.DRAFT_REPORT: ANALYTICAL_TEAM,
    Perm.MANAGE_REPORT: frozenset({Role.ANALYST}),
    Perm.COMMENT_REPORT: _GOVERNMENT | ANALYTICAL_TEAM | frozenset({Role.PEER_REVIEWER}),
    # Sections IV.9–10, VI and VII: the final meeting defines the government's
    # action plan, which the co-ordinator drafts from the recommendations and
    # has adopted; each measure's responsible ministry reports its progress
    # through its contact person, and the co-ordinator accepts or returns each
    # report. The government's own assessment of a measure (the co-ordinator's)
    # stands beside an independent one by the analytical team or civil society.
    Perm.VIEW_PLAN: _ALL_ROLES,
    Perm.DRAFT_PLAN: frozenset({Role.COORDINATOR}),
    Perm.REPORT_PROGRESS: frozenset({Role.CONTACT_PERSON}),
    Perm.DECIDE_PROGRESS: frozenset({Role.COORDINATOR}),
    Perm.ASSESS_MEASURES: frozenset({Role.COORDINATOR, Role.CIVIL_SOCIETY}) | ANALYTICAL_TEAM,
}

# What an anonymous reader may see of a review marked public.
PUBLIC_PERMISSIONS: frozenset[Perm] = frozenset({Perm.VIEW})


def roles_allow(roles: set[str] | frozenset[str], perm: Perm) -> bool:
    allowed = ROLE_PERMISSIONS[perm]
    return any(role in allowed for role in roles)
