import re

import pytest
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version

from articles.history import article_versions, text_diff, version_values
from articles.models import RENDERED_FIELDS, SOURCE_FIELDS
from core.languages import language_codes

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def revert_url(article, version) -> str:
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def test_every_save_records_who_when_why_and_every_language_column(client, superuser, imported, form_data):
    client.force_login(superuser)

    client.post(
        change_url(imported),
        {**form_data(client, imported), "title_nb": "Crowdsourcing (redigert)", "revision_comment": "Tittel rettet"},
    )

    latest = article_versions(imported).first()
    values = version_values(latest)
    for code in language_codes():
        for name in (*SOURCE_FIELDS, *RENDERED_FIELDS, "imported_source"):
            assert build_localized_fieldname(name, code) in values, (name, code)
    assert values["title_nb"] == "Crowdsourcing (redigert)"
    assert values["body_zh_hans"] == imported.value("body", "zh-hans")
    assert latest.revision.user == superuser
    assert latest.revision.get_comment() == "Tittel rettet"
    assert latest.revision.date_created


def test_import_is_a_revision_too(imported):
    assert article_versions(imported).get().revision.get_comment() == "Imported en, fr, ko, nb, zh-hans from files"


def test_revert_restores_every_language_exactly(client, superuser, imported, form_data):
    client.force_login(superuser)
    before = {code: {name: imported.value(name, code) for name in SOURCE_FIELDS} for code in language_codes()}
    first = Version.objects.get_for_object(imported).first()
    data = form_data(client, imported)
    client.post(
        change_url(imported),
        {
            **data,
            "body_ko": "바뀐 본문입니다.",
            "title_fr": "Changé",
            "body_zh_hans": data["body_zh_hans"] + "\n新段落。\n",
            "description_nb": "Endret.",
        },
    )

    response = client.post(revert_url(imported, first), form_data(client, revert_url(imported, first)))

    assert response.status_code == 302
    imported.refresh_from_db()
    after = {code: {name: imported.value(name, code) for name in SOURCE_FIELDS} for code in language_codes()}
    assert after == before
    assert "크라우드소싱" in imported.value("body_html", "ko") and "바뀐" not in imported.value("body_html", "ko")
    assert imported.version == 3
    assert "Reverted to previous version" in article_versions(imported).first().revision.get_comment()


def test_revert_of_a_korean_body_shows_on_the_korean_page(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    client.post(change_url(imported), {**form_data(client, imported), "body_ko": "바뀐 본문입니다."})

    client.post(revert_url(imported, first), form_data(client, revert_url(imported, first)))

    page = client.get("/ko/articles/crowdsourcing/").content.decode()
    assert "바뀐 본문" not in page and "크라우드소싱" in page


def test_a_form_loaded_before_a_revert_conflicts_after_it(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "Changé"})
    stale = form_data(client, imported)
    client.post(revert_url(imported, first), form_data(client, revert_url(imported, first)))

    response = client.post(change_url(imported), {**stale, "title_fr": "Encore changé"})

    assert response.status_code == 200
    assert "Someone else saved a different text here" in response.content.decode()
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Crowdsourcing" and imported.version == 3


def test_viewing_a_revision_changes_nothing(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "Changé"})

    page = client.get(revert_url(imported, first)).content.decode()

    assert 'value="Crowdsourcing"' in page
    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Changé"


def test_history_page_lists_revisions_with_comments_and_compare_links(client, superuser, imported, form_data):
    client.force_login(superuser)
    client.post(
        change_url(imported), {**form_data(client, imported), "title_fr": "Changé", "revision_comment": "Titre"}
    )
    newer, older = Version.objects.get_for_object(imported)[:2]

    page = client.get(reverse("admin:articles_article_history", args=[imported.pk])).content.decode()

    assert "Titre" in page and "chief" in page
    compare = reverse("admin:articles_article_compare", args=[imported.pk])
    assert f'href="{compare}?a={older.pk}&amp;b={newer.pk}"' in page
    assert page.count('class="compare"') == 1  # the first revision has nothing before it
    assert f'href="{revert_url(imported, older)}"' in page


def test_compare_view_shows_a_readable_diff_per_language(client, superuser, imported, form_data):
    client.force_login(superuser)
    client.post(
        change_url(imported),
        {**form_data(client, imported), "body_ko": imported.value("body", "ko").replace("결론", "요약")},
    )
    newer, older = Version.objects.get_for_object(imported)[:2]

    page = client.get(reverse("admin:articles_article_compare", args=[imported.pk]), {"a": older.pk, "b": newer.pk})

    text = page.content.decode()
    assert "한국어 — body (Markdown)" in text
    assert '<span class="diff-removed">-## 결론</span>' in text
    assert '<span class="diff-added">+## 요약</span>' in text
    assert "Français —" not in text


def test_compare_view_escapes_the_text(client, superuser, imported, form_data):
    client.force_login(superuser)
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "<b>gras</b>"})
    newer, older = Version.objects.get_for_object(imported)[:2]

    page = client.get(reverse("admin:articles_article_compare", args=[imported.pk]), {"a": older.pk, "b": newer.pk})

    assert "+&lt;b&gt;gras&lt;/b&gt;" in page.content.decode()


def test_text_diff_marks_removed_and_added_lines():
    html = text_diff("a\nb\nc\n", "a\nB\nc\n")

    assert '<span class="diff-removed">-b</span>' in html
    assert '<span class="diff-added">+B</span>' in html
    assert text_diff("same", "same") == ""


def test_applied_fix_can_be_reverted(client, superuser, imported, form_data):
    client.force_login(superuser)
    before = Version.objects.get_for_object(imported).first()
    index = next(i for i, f in enumerate(imported.language_findings("fr")) if f.code == "meta.entity")
    client.post(reverse("admin:articles_article_apply_fix", args=[imported.pk, "fr", index]))

    client.post(revert_url(imported, before), form_data(client, revert_url(imported, before)))

    imported.refresh_from_db()
    assert "d&#39;un" in imported.value("description", "fr")


def test_reverting_a_source_change_brings_the_translations_back_up_to_date(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    imported_revision = imported.source_revision
    data = form_data(client, imported)
    client.post(change_url(imported), {**data, "body_en": data["body_en"].replace("The Bottom Line", "In Short")})
    imported.refresh_from_db()
    assert imported.is_outdated("fr") and imported.source_revision == imported_revision + 1

    client.post(revert_url(imported, first), form_data(client, revert_url(imported, first)))

    imported.refresh_from_db()
    assert not imported.is_outdated("fr") and not imported.is_outdated("ko")
    assert imported.source_revision == imported_revision + 2  # a new number: each number names one source text


def test_after_a_revert_the_next_source_change_shows_the_right_diff(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    data = form_data(client, imported)
    client.post(change_url(imported), {**data, "body_en": data["body_en"].replace("The Bottom Line", "In Short")})
    client.post(revert_url(imported, first), form_data(client, revert_url(imported, first)))
    data = form_data(client, imported)

    client.post(change_url(imported), {**data, "title_en": "Crowdsourcing explained"})

    page = client.get(change_url(imported)).content.decode()
    french = re.split(r'<fieldset class="[^"]*\blanguage-fr\b', page)[1]
    assert '<span class="diff-added">+Crowdsourcing explained</span>' in french
    assert "In Short" not in french
