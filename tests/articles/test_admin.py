import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.fixture
def make_editor():
    call_command("create_editor_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115

    def build(language: str) -> User:
        user = User.objects.create_user(f"editor-{language}", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=f"Editors ({language})"))
        return user

    return build


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(client, article) -> dict:
    """What the browser would post back unchanged: every field, its hidden initial, the version."""
    form = client.get(change_url(article)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    return data


def save(client, article, data, **changes):
    return client.post(change_url(article), {**data, **changes})


def test_change_page_shows_every_language_with_its_findings_and_fixes(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(change_url(imported)).content.decode()

    for name in ("한국어", "Norsk bokmål", "简体中文", "English", "Français"):
        assert name in page
    assert "markup.placeholder" in page
    assert "apply-fix" in page
    assert 'class="side-by-side"' in page
    assert 'class="live-preview"' in page


def test_saving_one_language_renders_it_and_no_other(client, superuser, imported):
    client.force_login(superuser)
    data = form_data(client, imported)
    french_html = imported.value("body_html", "fr")
    Article.objects.filter(pk=imported.pk).update(body_html_fr="<p>stored before</p>")

    response = save(client, imported, data, body_ko=data["body_ko"].replace("결론", "요약"))

    assert response.status_code == 302
    imported.refresh_from_db()
    assert "요약" in imported.value("body_html", "ko")
    assert imported.value("body_html", "fr") == "<p>stored before</p>" != french_html
    assert imported.version == 2
    assert client.get("/ko/articles/crowdsourcing/").content.decode().count("요약") >= 1


def test_every_save_records_a_revision_with_every_language_column(client, superuser, imported):
    client.force_login(superuser)
    data = form_data(client, imported)

    save(client, imported, data, title_nb="Crowdsourcing (redigert)", revision_comment="Tittel rettet")

    stored = Version.objects.get_for_object(imported).first()
    fields = __import__("json").loads(stored.serialized_data)[0]["fields"]
    assert fields["title_nb"] == "Crowdsourcing (redigert)"
    assert fields["body_zh_hans"] == imported.value("body", "zh-hans")
    assert stored.revision.user == superuser
    assert stored.revision.get_comment() == "Tittel rettet"


def test_revert_restores_a_non_default_language_exactly(client, superuser, imported):
    client.force_login(superuser)
    original_ko = imported.value("body", "ko")
    original_fr = imported.value("title", "fr")
    first = Version.objects.get_for_object(imported).first()
    save(client, imported, form_data(client, imported), body_ko="바뀐 본문입니다.", title_fr="Changé")

    revert_url = reverse("admin:articles_article_revision", args=[imported.pk, first.pk])
    response = client.post(revert_url, form_data_for_url(client, revert_url))

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("body", "ko") == original_ko
    assert imported.value("title", "fr") == original_fr
    assert "크라우드소싱" in imported.value("body_html", "ko")


def form_data_for_url(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    return data


def test_second_editor_gets_a_conflict_and_keeps_their_text(client, superuser, imported):
    client.force_login(superuser)
    first = form_data(client, imported)
    second = form_data(client, imported)
    save(client, imported, first, title_fr="Titre du premier")

    response = save(client, imported, second, title_fr="Titre du second")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved a different text here" in page
    assert "Titre du premier" in page and "Titre du second" in page
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre du premier"


def test_after_the_conflict_message_saving_again_keeps_the_second_text(client, superuser, imported):
    client.force_login(superuser)
    first, second = form_data(client, imported), form_data(client, imported)
    save(client, imported, first, title_fr="Titre du premier")
    response = save(client, imported, second, title_fr="Titre du second")
    form = response.context["adminform"].form

    resubmit = {**second, "title_fr": "Titre du second", "expected_version": form.data["expected_version"]}
    resubmit["initial-title_fr"] = form.data["initial-title_fr"]
    response = save(client, imported, resubmit)

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre du second"
    assert any("Titre du premier" in v.serialized_data for v in Version.objects.get_for_object(imported))


def test_edits_of_different_fields_by_two_editors_are_merged(client, superuser, imported):
    client.force_login(superuser)
    first, second = form_data(client, imported), form_data(client, imported)
    save(client, imported, first, title_fr="Titre du premier")

    response = save(client, imported, second, title_nb="Tittel fra den andre")

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Titre du premier"
    assert imported.value("title", "nb") == "Tittel fra den andre"


def test_korean_editor_changes_korean_and_nothing_else(client, make_editor, imported):
    editor = make_editor("ko")
    client.force_login(editor)
    data = form_data(client, imported)
    assert "title_fr" not in data

    response = save(client, imported, {**data, "title_fr": "Piraté", "title_ko": "크라우드소싱 (편집)"})

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("title", "ko") == "크라우드소싱 (편집)"
    assert imported.value("title", "fr") == "Crowdsourcing"


def test_editor_of_one_language_cannot_apply_fixes_in_another(client, make_editor, imported):
    client.force_login(make_editor("ko"))

    response = client.post(reverse("admin:articles_article_apply_fix", args=[imported.pk, "fr", 0]))

    assert response.status_code == 403


def test_apply_fix_edits_the_text_and_records_a_revision(client, superuser, imported):
    client.force_login(superuser)
    index = next(i for i, f in enumerate(imported.language_findings("fr")) if f.code == "meta.entity")

    response = client.post(reverse("admin:articles_article_apply_fix", args=[imported.pk, "fr", index]))

    assert response.status_code == 302
    imported.refresh_from_db()
    assert "d'un grand groupe" in imported.value("description", "fr")
    assert "meta.entity" not in {f.code for f in imported.language_findings("fr")}
    assert "Applied fix meta.entity" in Version.objects.get_for_object(imported).first().revision.get_comment()


def test_source_change_marks_translations_outdated_until_brought_up_to_date(client, superuser, imported):
    client.force_login(superuser)
    data = form_data(client, imported)
    save(client, imported, data, body_en=data["body_en"].replace("The Bottom Line", "In Short"))
    imported.refresh_from_db()
    assert imported.is_outdated("ko") and imported.is_outdated("fr")

    page = client.get(change_url(imported)).content.decode()
    assert "diff-added" in page and "In Short" in page

    save(client, imported, form_data(client, imported), up_to_date_ko="on")
    imported.refresh_from_db()
    assert not imported.is_outdated("ko")
    assert imported.is_outdated("fr")


def test_draft_language_is_missing_for_readers(client, superuser, imported):
    client.force_login(superuser)

    save(client, imported, form_data(client, imported), draft_fr="on")

    client.logout()
    assert client.get("/fr/articles/crowdsourcing/").status_code == 404
    switcher = client.get("/en/articles/crowdsourcing/").content.decode().split('class="switcher"')[1]
    assert re.search(r'class="lang-missing"[^>]*>Français', switcher)
    imported.refresh_from_db()
    assert imported.value("body", "fr")


def test_coverage_page_shows_states_and_counts(client, superuser, imported):
    client.force_login(superuser)
    Article.objects.filter(pk=imported.pk).update(draft_languages=["nb"])

    page = client.get(reverse("admin:articles_article_coverage")).content.decode()

    assert "state-draft" in page and "state-current" in page
    assert re.search(r"\d+ findings", page)
    assert f"{change_url(imported)}#language-ko" in page


def test_coverage_page_query_count_does_not_grow_with_articles(
    client, superuser, make_article, django_assert_num_queries
):
    client.force_login(superuser)
    make_article("one", {"en": ("One", "Text.")})
    url = reverse("admin:articles_article_coverage")
    client.get(url)
    with django_assert_num_queries(3):  # session, user, articles
        client.get(url)
    for index in range(5):
        make_article(f"more-{index}", {"en": ("More", "Text."), "fr": ("Plus", "Texte.")})
    with django_assert_num_queries(3):
        client.get(url)


def test_preview_renders_with_the_site_renderer(client, superuser, imported):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_article_preview", args=["ko"]), {"body": "##제목\n\n[소셜](/social-media)"}
    )

    data = response.json()
    assert '<h2 id="h-제목">제목</h2>' in data["html"]
    assert 'href="/ko/terms/social-media/"' in data["html"]
    assert data["findings"][0]["code"] == "markup.heading-no-space"


def test_preview_drops_the_heading_that_repeats_the_title(client, superuser, imported):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_article_preview", args=["fr"]), {"body": "# Paie\n\nTexte.", "title": "Paie"}
    )

    assert response.json()["html"] == "<p>Texte.</p>"


def test_preview_requires_post_and_a_csrf_token(superuser, imported):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    url = reverse("admin:articles_article_preview", args=["ko"])

    assert client.get(url).status_code == 405
    assert client.post(url, {"body": "x"}).status_code == 403


def test_too_long_body_is_refused_and_the_text_kept(client, superuser, imported):
    client.force_login(superuser)
    long_body = "가" * 200_001

    response = save(client, imported, form_data(client, imported), body_ko=long_body)

    assert response.status_code == 200
    assert "the limit is 200000" in response.content.decode()
    assert long_body in response.content.decode()


def test_empty_source_title_is_refused(client, superuser, imported):
    client.force_login(superuser)

    response = save(client, imported, form_data(client, imported), title_en="")

    assert response.status_code == 200
    assert "cannot be empty" in response.content.decode() or "This field is required" in response.content.decode()


def test_script_in_body_is_reported_in_the_form(client, superuser, imported):
    client.force_login(superuser)

    response = save(client, imported, form_data(client, imported), body_fr="Texte <script>alert(1)</script>")

    assert response.status_code == 200
    assert "Removed before readers see it" in response.content.decode()


def test_browser_line_ends_do_not_change_the_verbatim_source(client, superuser, imported, seed_path):
    client.force_login(superuser)
    data = form_data(client, imported)
    posted = {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}

    save(client, imported, posted, title_nb="Crowdsourcing (ny)")

    imported.refresh_from_db()
    assert imported.value("body", "ko") == (seed_path / "crowdsourcing" / "ko.md").read_text().split("---\n", 2)[2]
    assert "\r" not in imported.value("body", "fr")


def test_invalid_markdown_never_blocks_a_save(client, superuser, imported):
    client.force_login(superuser)

    response = save(client, imported, form_data(client, imported), body_fr="##Titre\n\n> a\n\n> b\n\n[x](/y")

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.language_findings("fr")


def test_compare_view_shows_a_readable_diff_per_language(client, superuser, imported):
    client.force_login(superuser)
    save(client, imported, form_data(client, imported), body_ko=imported.value("body", "ko").replace("결론", "요약"))
    older, newer = list(Version.objects.get_for_object(imported))[::-1][:2]

    url = reverse("admin:articles_article_compare", args=[imported.pk])
    page = client.get(url, {"a": older.pk, "b": newer.pk}).content.decode()

    assert "한국어 — body" in page
    assert '<span class="diff-removed">-## 결론</span>' in page
    assert '<span class="diff-added">+## 요약</span>' in page
    assert "Français — body" not in page


def test_applied_fix_can_be_reverted(client, superuser, imported):
    client.force_login(superuser)
    before = Version.objects.get_for_object(imported).first()
    index = next(i for i, f in enumerate(imported.language_findings("fr")) if f.code == "meta.entity")
    client.post(reverse("admin:articles_article_apply_fix", args=[imported.pk, "fr", index]))

    revert_url = reverse("admin:articles_article_revision", args=[imported.pk, before.pk])
    client.post(revert_url, form_data_for_url(client, revert_url))

    imported.refresh_from_db()
    assert "d&#39;un" in imported.value("description", "fr")


def test_editor_sees_other_languages_read_only(client, make_editor, imported):
    client.force_login(make_editor("zh-hans"))

    form = client.get(change_url(imported)).context["adminform"].form

    assert "body_zh_hans" in form.fields
    assert "body_en" not in form.fields and "draft_en" not in form.fields


def test_editor_without_a_language_group_cannot_open_the_admin(client, imported):
    user = User.objects.create_user("reader", password="pw", is_staff=False)
    client.force_login(user)

    assert client.get(change_url(imported)).status_code == 302
