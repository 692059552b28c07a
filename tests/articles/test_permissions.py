from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from core.languages import language_codes
from core.permissions import can_edit_every_language, can_edit_language, editable_languages
from glossary.models import TermName
from tests.conftest import set_drafts

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_create_editor_groups_makes_one_group_per_configured_language(db):
    out = StringIO()

    call_command("create_editor_groups", stdout=out)

    for code in language_codes():
        group = Group.objects.get(name=f"Editors ({code})")
        edits = {p.codename for p in group.permissions.all() if p.codename.startswith("edit_")}
        assert edits == {f"edit_{code}"}
        assert group.permissions.filter(codename="change_article").exists()
        assert not group.permissions.filter(codename__in=["add_article", "delete_article"]).exists()
    assert out.getvalue().count("created Editors (") == len(language_codes())


def test_create_editor_groups_can_run_again(db):
    call_command("create_editor_groups", stdout=StringIO())
    out = StringIO()

    call_command("create_editor_groups", stdout=out)

    assert Group.objects.filter(name__startswith="Editors (").count() == len(language_codes())
    assert "updated Editors (ko)" in out.getvalue()


def test_language_permissions_per_user(make_editor, superuser):
    korean = make_editor("ko")

    assert editable_languages(korean) == ["ko"]
    assert can_edit_language(korean, "ko") and not can_edit_language(korean, "en")
    assert not can_edit_every_language(korean)
    assert can_edit_every_language(superuser)
    assert can_edit_every_language(make_editor(*language_codes(), username="all"))


def test_korean_editor_changes_korean_and_nothing_else(client, make_editor, imported, form_data):
    client.force_login(make_editor("ko"))
    data = form_data(client, imported)
    assert "title_fr" not in data and "slug" not in data

    forged = {
        "title_fr": "Piraté",
        "body_en": "Replaced.",
        "draft_fr": "on",
        "up_to_date_fr": "on",
        "slug": "hijacked",
        "source_language": "fr",
    }
    response = client.post(change_url(imported), {**data, **forged, "title_ko": "크라우드소싱 (편집)"})

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "ko") == "크라우드소싱 (편집)"
    assert imported.value("title", "fr") == "Crowdsourcing"
    assert imported.value("body", "en").startswith("\n# Crowdsourcing\n")
    assert imported.slug == "crowdsourcing" and imported.source_language == "en"
    assert imported.draft_languages == []


def test_editor_sees_the_other_languages_read_only(client, make_editor, imported):
    client.force_login(make_editor("zh-hans"))

    response = client.get(change_url(imported))

    form = response.context["adminform"].form
    assert {"title_zh_hans", "body_zh_hans", "draft_zh-hans", "up_to_date_zh-hans"} <= set(form.fields)
    assert not {"body_en", "title_fr", "draft_en", "up_to_date_fr", "slug", "source_language"} & set(form.fields)
    page = response.content.decode()
    assert 'name="body_zh_hans"' in page and 'name="body_ko"' not in page
    assert "크라우드소싱" in page  # the Korean text is shown, read-only


def test_editor_of_two_languages_changes_both(client, make_editor, imported, form_data):
    client.force_login(make_editor("ko", "fr"))

    client.post(change_url(imported), {**form_data(client, imported), "title_ko": "제목", "title_fr": "Titre"})

    imported.refresh_from_db()
    assert (imported.value("title", "ko"), imported.value("title", "fr")) == ("제목", "Titre")


def test_superuser_changes_everything(client, superuser, imported, form_data):
    client.force_login(superuser)

    client.post(
        change_url(imported), {**form_data(client, imported), "title_fr": "Titre", "slug": "crowd", "draft_nb": "on"}
    )

    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre" and imported.slug == "crowd"
    assert imported.draft_languages == ["nb"]


def test_korean_editor_keeps_other_drafts_when_saving(client, make_editor, imported, form_data):
    set_drafts(imported, "fr")
    client.force_login(make_editor("ko"))

    client.post(change_url(imported), {**form_data(client, imported), "draft_ko": "on"})

    imported.refresh_from_db()
    assert imported.draft_languages == ["fr", "ko"]


def test_korean_editor_reverts_korean_only(client, superuser, make_editor, imported, form_data):
    first = Version.objects.get_for_object(imported).first()
    client.force_login(superuser)
    client.post(change_url(imported), {**form_data(client, imported), "body_ko": "바뀐 본문.", "title_fr": "Changé"})
    original_ko = first.field_dict["body_ko"]
    client.force_login(make_editor("ko"))
    url = reverse("admin:articles_article_revision", args=[imported.pk, first.pk])
    page = client.get(url).content.decode()
    assert "only those are reverted" in page

    response = client.post(url, form_data(client, url))

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("body", "ko") == original_ko
    assert imported.value("title", "fr") == "Changé"
    assert "Changé" in imported.value("display_title", "fr")


def test_editor_of_one_language_cannot_apply_fixes_in_another(client, make_editor, imported):
    client.force_login(make_editor("ko"))

    response = client.post(reverse("admin:articles_article_apply_fix", args=[imported.pk, "fr", 0]))

    assert response.status_code == 403


def test_editors_cannot_add_or_delete_articles(client, make_editor, imported):
    client.force_login(make_editor("ko"))

    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert client.post(reverse("admin:articles_article_delete", args=[imported.pk]), {"post": "yes"}).status_code == 403


def test_staff_without_a_language_group_cannot_change_articles(client, imported):
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get(change_url(imported)).status_code == 403


def test_non_staff_cannot_open_the_admin(client, imported):
    client.force_login(User.objects.create_user("reader", password="pw"))

    assert client.get(change_url(imported)).status_code == 302


# Terms: names and definitions follow the same per-language rule -----------------------------------------------


def term_form_data(client, term) -> dict:
    response = client.get(reverse("admin:glossary_term_change", args=[term.pk]))
    adminform = response.context["adminform"].form
    data = {name: adminform[name].value() or "" for name in adminform.fields}
    formset = response.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": len(formset.forms),
            f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
            f"{formset.prefix}-MIN_NUM_FORMS": 0,
            f"{formset.prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else value
    return data


def test_korean_editor_sees_and_changes_only_korean_term_names(client, make_editor, imported):
    client.force_login(make_editor("ko"))
    term = imported.term

    response = client.get(reverse("admin:glossary_term_change", args=[term.pk]))

    names = response.context["inline_admin_formsets"][0].formset.queryset
    assert {name.language for name in names} == {"ko"}
    assert '<span lang="zh-hans">众包</span>' in response.content.decode()  # the other names, read-only
    form = response.context["inline_admin_formsets"][0].formset.empty_form
    assert [code for code, _name in form.fields["language"].choices] == ["", "ko"]


def test_korean_editor_cannot_post_a_name_in_another_language(client, make_editor, imported):
    client.force_login(make_editor("ko"))
    term = imported.term
    data = term_form_data(client, term)
    added = data["names-TOTAL_FORMS"]  # a row added with the "add another" link
    data.update(
        {
            "names-TOTAL_FORMS": added + 1,
            f"names-{added}-language": "fr",
            f"names-{added}-name": "Externalisation ouverte",
            f"names-{added}-status": "admitted",
        }
    )

    response = client.post(reverse("admin:glossary_term_change", args=[term.pk]), data)

    assert response.status_code == 200
    assert not TermName.objects.filter(name="Externalisation ouverte").exists()


def test_korean_editor_cannot_change_a_french_name_by_its_id(client, make_editor, imported):
    client.force_login(make_editor("ko"))
    term = imported.term
    french = TermName.objects.filter(term=term, language="fr").first()
    data = term_form_data(client, term)
    data.update({"names-0-id": french.pk, "names-0-name": "Piraté", "names-0-language": "ko"})

    client.post(reverse("admin:glossary_term_change", args=[term.pk]), data)

    french.refresh_from_db()
    assert french.name != "Piraté" and french.language == "fr"


def test_korean_editor_changes_the_korean_definition_only(client, make_editor, imported):
    client.force_login(make_editor("ko"))
    term = imported.term
    data = term_form_data(client, term)
    assert "definition_fr" not in data

    client.post(
        reverse("admin:glossary_term_change", args=[term.pk]),
        {**data, "definition_ko": "군중에게서 아이디어를 얻는 일.", "definition_fr": "Piraté", "slug": "x"},
    )

    term.refresh_from_db()
    assert term.definition_ko == "군중에게서 아이디어를 얻는 일."
    assert not term.definition_fr and term.slug == "crowdsourcing"


def test_term_name_list_and_its_confirm_action_stay_in_the_editors_languages(client, make_editor, imported):
    client.force_login(make_editor("ko"))
    url = reverse("admin:glossary_termname_changelist")
    unconfirmed = TermName.objects.filter(confirmed=False)
    korean = list(unconfirmed.filter(language="ko").values_list("pk", flat=True))
    others = list(unconfirmed.exclude(language="ko").values_list("pk", flat=True))
    assert korean and others

    listed = client.get(url).context["cl"].result_list
    client.post(url, {"action": "confirm_names", "_selected_action": korean + others})

    assert {name.language for name in listed} == {"ko"}
    assert set(TermName.objects.filter(pk__in=korean).values_list("confirmed", flat=True)) == {True}
    assert set(TermName.objects.filter(pk__in=others).values_list("confirmed", flat=True)) == {False}
