import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from reversion.models import Version

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def two_editors(client, superuser, imported, form_data):
    """Two forms loaded from the same version; the first editor is `superuser`, the second `other`."""
    client.force_login(superuser)
    first = form_data(client, imported)
    other = User.objects.create_superuser("second", "second@example.com", "pw")
    client.force_login(other)
    second = form_data(client, imported)
    return first, second, superuser, other


def test_second_editor_gets_a_conflict_naming_who_saved_and_showing_their_change(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    body = first["body_fr"].replace("## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué")
    client.post(change_url(imported), {**first, "body_fr": body})

    client.force_login(second_user)
    mine = second["body_fr"].replace("## Comprendre le crowdsourcing", "## Le crowdsourcing en bref")
    response = client.post(change_url(imported), {**second, "body_fr": mine})

    assert response.status_code == 200
    page = response.content.decode()
    assert "chief saved this article at" in page
    assert "You and the other editor changed the same passages of this text" in page
    assert "## Le crowdsourcing en bref" in page and "## Le crowdsourcing expliqué" in page
    assert 'name="merge-choice-body_fr-' in page
    assert response.context["adminform"].form["body_fr"].value() == mine  # the one block differs: mine is in it
    imported.refresh_from_db()
    assert "## Le crowdsourcing expliqué" in imported.value("body", "fr")


def test_after_the_conflict_message_saving_again_keeps_the_second_text(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    client.post(change_url(imported), {**first, "title_fr": "Titre du premier"})
    client.force_login(second_user)
    response = client.post(change_url(imported), {**second, "title_fr": "Titre du second"})
    form = response.context["adminform"].form

    resubmit = {**second, "title_fr": "Titre du second", "expected_version": form.data["expected_version"]}
    resubmit["initial-title_fr"] = form.data["initial-title_fr"]
    response = client.post(change_url(imported), resubmit)

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre du second"
    assert any("Titre du premier" in v.serialized_data for v in Version.objects.get_for_object(imported))


def test_edits_of_different_fields_by_two_editors_are_merged(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    client.post(change_url(imported), {**first, "title_fr": "Titre du premier"})
    client.force_login(second_user)

    response = client.post(change_url(imported), {**second, "title_nb": "Tittel fra den andre"})

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre du premier"
    assert imported.value("title", "nb") == "Tittel fra den andre"
    assert imported.version == 3


def test_the_same_edit_by_both_editors_is_no_conflict(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    client.post(change_url(imported), {**first, "title_fr": "Le même titre"})
    client.force_login(second_user)

    response = client.post(change_url(imported), {**second, "title_fr": "Le même titre"})

    assert response.status_code == 302


def test_a_stale_form_without_changes_does_not_undo_the_other_save(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    client.post(change_url(imported), {**first, "body_ko": first["body_ko"] + "\n추가 문단.\n"})
    client.force_login(second_user)

    client.post(change_url(imported), {**second, "revision_comment": "nothing changed"})

    imported.refresh_from_db()
    assert imported.value("body", "ko").endswith("추가 문단.\n")


def test_two_editors_of_different_paragraphs_of_one_body_both_keep_their_change(client, imported, two_editors):
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    theirs = first["body_fr"].replace("## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué")
    client.post(change_url(imported), {**first, "body_fr": theirs})
    client.force_login(second_user)
    mine = second["body_fr"].replace("## Crowdsourcing vs Crowdfunding", "## Crowdsourcing ou crowdfunding")

    response = client.post(change_url(imported), {**second, "body_fr": mine})

    assert response.status_code == 302
    imported.refresh_from_db()
    body = imported.value("body", "fr")
    assert "## Le crowdsourcing expliqué" in body and "## Crowdsourcing ou crowdfunding" in body


def block_conflict(client, imported, two_editors):
    """Both editors rewrite one heading, the second also another: the second gets the conflict screen."""
    first, second, first_user, second_user = two_editors
    client.force_login(first_user)
    client.post(change_url(imported), {**first, "body_fr": first["body_fr"].replace("## Comprendre", "## Saisir")})
    client.force_login(second_user)
    mine = second["body_fr"].replace("## Comprendre", "## Cerner").replace("## Crowdsourcing vs", "## Crowdsourcing ou")
    response = client.post(change_url(imported), {**second, "body_fr": mine})
    assert response.status_code == 200
    form = response.context["adminform"].form
    [conflict] = set(re.findall(r'name="(merge-choice-body_fr-[^"]+)"', response.content.decode()))
    return {**second, **{key: form.data[key] for key in form.data}}, conflict


@pytest.mark.parametrize(
    ("choice", "heading"),
    [("mine", "## Cerner le crowdsourcing"), ("theirs", "## Saisir le crowdsourcing"), ("edit", "## Mon titre")],
)
def test_the_conflict_screen_saves_each_block_as_chosen_and_keeps_both_editors_other_changes(
    client, imported, two_editors, choice, heading
):
    data, conflict = block_conflict(client, imported, two_editors)
    data[conflict] = choice
    data[conflict.replace("merge-choice-", "merge-text-")] = "## Mon titre"

    response = client.post(change_url(imported), data)

    assert response.status_code == 302
    imported.refresh_from_db()
    body = imported.value("body", "fr")
    assert heading in body and "## Crowdsourcing ou Crowdfunding" in body
    assert body.count(heading) == 1 and "## Comprendre" not in body


def test_the_conflict_screen_without_a_choice_saves_nothing_and_asks_again(client, imported, two_editors):
    data, conflict = block_conflict(client, imported, two_editors)
    data.pop(conflict, None)

    response = client.post(change_url(imported), data)

    assert response.status_code == 200
    assert "Choose mine, theirs or your edit for every passage you both changed." in response.content.decode()
    assert conflict in response.content.decode()
    imported.refresh_from_db()
    assert "## Saisir le crowdsourcing" in imported.value("body", "fr")
    assert "## Crowdsourcing ou" not in imported.value("body", "fr")
