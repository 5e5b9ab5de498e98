"""A response's reason in every content language (issue 13): English is
required and authoritative; a reader of Kazakh or Russian reads their version,
or the English one marked as not translated, and a translation written for an
earlier English text is marked out of date — on the contribution, the matrix,
the published summary, the export, the API and the translations page. The
migration keeps the reasons written before."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parasat.accounts.tests.factories import UserFactory
from parasat.core.lib.translated import Status
from parasat.core.testing.texts import tt
from parasat.engagement.models import Response
from parasat.engagement.services import consultations as services
from parasat.jobs.tests.helpers import download, run_posted
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory, signed_review

pytestmark = pytest.mark.django_db

MISSING = "tr-missing"
STALE = "tr-stale"


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


@pytest.fixture
def consultation(review, persona):
    review.is_public = True
    review.save()
    now = timezone.now()
    consultation = services.consultation_open(
        review=review,
        by=persona(Role.ANALYST),
        title=tt("Draft findings on conflicts of interest"),
        description=tt("Tell us what you think."),
        subject_kind="area_findings",
        subject_ref="COI",
        channels=("civil_society", "business", "public"),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    services.contribution_submit(
        consultation=consultation,
        contributor=services.Contributor(
            channel="public", name="A citizen", email="citizen@example.org"
        ),
        text="Declarations should be verified.",
        confidentiality="public",
    )
    return consultation


def _in(language, client):
    client.cookies["django_language"] = language
    return client


def _table(html):
    return html.split('id="matrix"')[1].split("</table>")[0]


def _shown(client, review, consultation):
    """The response as the contribution's page shows it (not the form under it)."""
    html = client.get(url("contribution", review, consultation.pk, 1)).content.decode()
    return html.split('id="h-response"')[1].split("</section>")[0]


def _respond(client, review, consultation, **reason):
    data = {"kind": "partly", "confidentiality": "public"}
    data.update({f"reason_{lang}": text for lang, text in reason.items()})
    return client.post(url("respond", review, consultation.pk, 1), data)


def test_a_response_without_its_english_reason_is_refused_and_nothing_is_written(
    client_for, persona, review, consultation
):
    analyst = client_for(persona(Role.ANALYST))
    response = _respond(analyst, review, consultation, ru="Частично учтено.", kk="Ішінара.")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reason for the response in English" in page
    assert "Частично учтено." in page  # what was typed is kept in the form
    assert not Response.objects.exists()
    response = _respond(analyst, review, consultation, en="   ")
    assert response.status_code == 400 and not Response.objects.exists()
    # Changing a response: clearing its English reason is refused, the stored one kept.
    _respond(analyst, review, consultation, en="We add verification.", ru="Добавляем проверку.")
    response = _respond(analyst, review, consultation, en="", ru="Другая причина.")
    assert response.status_code == 400
    kept = Response.objects.get().reason
    assert (kept.source, kept.get("ru")) == ("We add verification.", "Добавляем проверку.")


def test_each_reader_reads_the_reason_in_their_language_or_the_english_one_marked(
    client_for, persona, review, consultation
):
    analyst = client_for(persona(Role.ANALYST))
    response = _respond(
        analyst, review, consultation, en="We add verification.", ru="Добавляем проверку."
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.reason.get("ru") == "Добавляем проверку."
    assert saved.reason.status("ru") == Status.OK and saved.reason.status("kk") == Status.MISSING

    ru = _shown(_in("ru", client_for(persona(Role.ANALYST))), review, consultation)
    assert "Добавляем проверку." in ru and MISSING not in ru
    kk = _shown(_in("kk", client_for(persona(Role.ANALYST))), review, consultation)
    assert "We add verification." in kk and MISSING in kk
    assert "Добавляем проверку." not in kk

    # The contributor's consultation page, once the summary is published.
    closed = services.consultation_close(consultation=consultation, by=persona(Role.ANALYST))
    services.summary_publish(consultation=closed)
    public = url("public_consultation", review, consultation.pk)
    assert "Добавляем проверку." in _in("ru", client_for(None)).get(public).content.decode()
    kk = _in("kk", client_for(None)).get(public).content.decode()
    kk = kk.split('id="contributions"')[1]
    assert "We add verification." in kk and MISSING in kk


def test_a_translation_left_behind_a_changed_english_reason_is_marked_until_confirmed(
    client_for, persona, review, consultation
):
    analyst = client_for(persona(Role.ANALYST))
    _respond(
        analyst,
        review,
        consultation,
        en="We add verification.",
        ru="Добавляем проверку.",
        kk="Тексеру қосамыз.",
    )
    # The English text changes; the Kazakh version is confirmed, the Russian one is not.
    response = analyst.post(
        url("respond", review, consultation.pk, 1),
        {
            "kind": "accepted",
            "confidentiality": "public",
            "reason_en": "We add verification by the agency.",
            "reason_ru": "Добавляем проверку.",
            "reason_kk": "Тексеру қосамыз.",
            "reason_confirm_kk": "on",
        },
    )
    assert response.status_code == 302
    reason = Response.objects.get().reason
    assert reason.status("ru") == Status.STALE and reason.status("kk") == Status.OK

    reader = _in("ru", client_for(persona(Role.ANALYST)))
    ru = _shown(reader, review, consultation)
    assert "Добавляем проверку." in ru and STALE in ru
    form = reader.get(url("contribution", review, consultation.pk, 1)).content.decode()
    assert "badge-stale" in form.split('id="h-respond"')[1]  # the editor sees which to update
    kk = _shown(_in("kk", client_for(persona(Role.ANALYST))), review, consultation)
    assert "Тексеру қосамыз." in kk and STALE not in kk and MISSING not in kk
    matrix = _in("ru", client_for(persona(Role.ANALYST))).get(
        url("matrix", review, consultation.pk)
    )
    row = _table(matrix.content.decode())
    assert "Добавляем проверку." in row and STALE in row

    # Updating the Russian version makes it current again.
    _respond(
        analyst,
        review,
        consultation,
        en="We add verification by the agency.",
        ru="Добавляем проверку ведомством.",
        kk="Тексеру қосамыз.",
    )
    assert Response.objects.get().reason.status("ru") == Status.OK


def test_the_matrix_shows_the_reader_s_language_and_the_export_carries_every_language(
    client_for, persona, review, consultation
):
    analyst = persona(Role.ANALYST)
    services.response_save(
        contribution=consultation.contributions.get(),
        by=analyst,
        kind="partly",
        reason=tt("We add verification.", ru="Добавляем проверку.").updated(
            {"en": "We add verification by the agency."}
        ),
    )
    client = client_for(analyst)
    matrix = url("matrix", review, consultation.pk)
    kk = _table(_in("kk", client_for(analyst)).get(matrix).content.decode())
    assert "We add verification by the agency." in kk and MISSING in kk
    ru = _table(_in("ru", client_for(analyst)).get(matrix).content.decode())
    assert "Добавляем проверку." in ru and STALE in ru and MISSING not in ru

    job = run_posted(client, url("matrix_export", review, consultation.pk), {"format": "xlsx"})
    assert job.state == "succeeded", job.error
    sheet = load_workbook(io.BytesIO(download(client, job).content)).active
    header, row = ([cell.value for cell in r] for r in sheet.iter_rows(max_row=2))
    found = dict(zip(header, row, strict=True))
    assert found["Reason (English)"] == "We add verification by the agency."
    assert found["Reason (Russian)"] == "Добавляем проверку."
    assert found["Reason (Kazakh)"] is None  # not translated: an empty cell
    assert found["Reason: translations out of date"] == "Russian"

    job = run_posted(client, url("matrix_export", review, consultation.pk), {"format": "csv"})
    text = download(client, job).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    found = dict(zip(header, row, strict=True))
    assert found["Reason (English)"] == "We add verification by the agency."
    assert found["Reason (Russian)"] == "Добавляем проверку."
    assert found["Reason (Kazakh)"] == ""


def test_the_api_gives_the_reason_in_every_language(client_for, persona, review, consultation):
    analyst = persona(Role.ANALYST)
    services.response_save(
        contribution=consultation.contributions.get(),
        by=analyst,
        kind="noted",
        reason=tt("Thanks.", ru="Спасибо.", kk="Рақмет."),
    )
    api = f"/api/reviews/{review.slug}/consultations/{consultation.pk}/contributions"
    (item,) = client_for(analyst).get(api).json()["items"]
    assert item["response"]["reason"] == {"en": "Thanks.", "ru": "Спасибо.", "kk": "Рақмет."}


def test_a_reason_too_long_in_any_language_is_refused(persona, consultation):
    with pytest.raises(ValidationError) as caught:
        services.response_save(
            contribution=consultation.contributions.get(),
            by=persona(Role.ANALYST),
            kind="noted",
            reason=tt("Thanks.", kk="ұ" * (services.MAX_TEXT + 1)),
        )
    assert "too long" in caught.value.message_dict["reason"][0]
    assert not Response.objects.exists()


def test_the_translations_page_lists_a_reason_to_the_review_s_team_only(
    client_for, persona, review, consultation
):
    services.response_save(
        contribution=consultation.contributions.get(),
        by=persona(Role.ANALYST),
        kind="noted",
        reason="A reason still to translate.",
    )
    page = reverse("translations") + "?language=kk"
    assert "A reason still to translate." in client_for(persona(Role.ANALYST)).get(page).text
    other = signed_review(slug="kz-other")
    outsider = UserFactory(username="other-analyst")
    ParticipantFactory(review=other, user=outsider, role=Role.ANALYST)
    assert "A reason still to translate." not in client_for(outsider).get(page).text


# --- the migration ------------------------------------------------------------------

BEFORE = ("engagement", "0005_surveys")
AFTER = ("engagement", "0006_response_reason_translated")


def _needed_by(state: ProjectState, model: tuple[str, str]) -> ProjectState:
    """``state`` reduced to ``model`` and the models its relations (and
    theirs, and so on) lead to: what rendering it needs."""
    keep: set[tuple[str, str]] = set()
    todo = [model]
    while todo:
        key = todo.pop()
        if key in keep:
            continue
        keep.add(key)
        for field in state.models[key].fields.values():
            remote = field.remote_field
            for target in (getattr(remote, "model", None), getattr(remote, "through", None)):
                if isinstance(target, str):
                    app_label, _, name = target.partition(".")
                    todo.append((app_label, name.lower()))
    assert all(isinstance(b, type) for key in keep for b in state.models[key].bases)
    return ProjectState(
        models={key: state.models[key].clone() for key in keep}, real_apps=state.real_apps
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_reason_as_the_english_version_and_back(review):
    """Run on the test database: back to the single-language column, a
    response written there, forward, back again. Only this migration is
    unapplied and applied again, from the state its app's own migrations give
    (the later ones add indexes to survey answers and touch no response): the
    whole project's state need not be rendered for every step. Of that state
    only the models the response's table needs are kept (it, and what its
    relations lead to): each step of the migration renders again the models
    related to the response, which in the whole state is most of them."""
    user = UserFactory(username="old-analyst")
    executor = MigrationExecutor(connection)
    migration = executor.loader.graph.nodes[AFTER]
    before = _needed_by(executor.loader.project_state(BEFORE), ("engagement", "response"))
    old = before.apps  # rendered once: each step's states are copies of it
    executor.unapply_migration(before, migration)
    applied = False
    try:
        now = timezone.now()
        consultation = old.get_model("engagement", "Consultation").objects.create(
            review_id=review.pk,
            title={"en": "Old"},
            subject_kind="other",
            channels=["public"],
            opens_at=now - dt.timedelta(days=2),
            closes_at=now,
            opened_by_id=user.pk,
        )
        contribution_model = old.get_model("engagement", "Contribution")
        written = {
            1: "We add verification.\nSecond line.",
            2: "Мы добавим проверку.",  # written in Russian: still the English slot
        }
        for number, reason in written.items():
            contribution = contribution_model.objects.create(
                consultation=consultation,
                number=number,
                channel="public",
                name="A citizen",
                text="A view.",
                submitted_at=now,
            )
            old.get_model("engagement", "Response").objects.create(
                contribution=contribution,
                kind="noted",
                reason=reason,
                responded_by_id=user.pk,
                responded_at=now,
            )

        executor.apply_migration(before.clone(), migration)
        applied = True
        kept = {
            r.contribution.number: r.reason for r in Response.objects.select_related("contribution")
        }
        assert {n: r.source for n, r in kept.items()} == written
        assert all(r.status("kk") == Status.MISSING for r in kept.values())
        assert kept[2].render("ru").language == "en"  # shown with the mark, not as Russian

        executor.unapply_migration(before, migration)
        applied = False
        rows = old.get_model("engagement", "Response").objects.order_by("contribution__number")
        assert [r.reason for r in rows] == list(written.values())
    finally:
        if not applied:
            executor.apply_migration(before.clone(), migration)
        assert (
            MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes()) == []
        )
