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
    assert "Someone else saved a different text here while you were editing. What they changed:" in page
    assert '<span class="diff-removed">-## Comprendre le crowdsourcing</span>' in page
    assert '<span class="diff-added">+## Le crowdsourcing expliqué</span>' in page
    assert response.context["adminform"].form["body_fr"].value() == mine
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
