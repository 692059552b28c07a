import re

import pytest
from django.urls import reverse

from articles.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def section(page: str, code: str) -> str:
    """Return the part of the change page that is the `code` language's section."""
    return re.split(r"<fieldset ", re.split(rf'<fieldset class="[^"]*\blanguage-{code}\b', page)[1])[0]


def edit_source(client, article, form_data, **changes):
    data = form_data(client, article)
    client.post(change_url(article), {**data, **changes})
    article.refresh_from_db()


# Outdated marks ------------------------------------------------------------------------------------------------


def test_source_body_change_marks_every_translation_outdated(client, superuser, imported, form_data):
    client.force_login(superuser)

    edit_source(
        client, imported, form_data, body_en=imported.value("body", "en").replace("The Bottom Line", "In Short")
    )

    assert [code for code in ("ko", "nb", "zh-hans", "fr") if imported.is_outdated(code)] == [
        "ko",
        "nb",
        "zh-hans",
        "fr",
    ]
    assert imported.state("en") == "current"


def test_source_title_change_marks_translations_outdated(client, superuser, imported, form_data):
    client.force_login(superuser)

    edit_source(client, imported, form_data, title_en="Crowdsourcing explained")

    assert imported.state("ko") == "outdated"


def test_source_description_change_does_not_mark_translations(client, superuser, imported, form_data):
    client.force_login(superuser)

    edit_source(client, imported, form_data, description_en="Shorter.")

    assert imported.state("ko") == "current"


def test_translation_edit_does_not_mark_anything_outdated(client, superuser, imported, form_data):
    client.force_login(superuser)

    edit_source(client, imported, form_data, title_fr="Crowdsourcing !")

    assert [imported.state(code) for code in ("ko", "nb", "zh-hans", "en", "fr")] == ["current"] * 5


def test_translation_editor_sees_the_source_diff_since_their_last_update(client, superuser, imported, form_data):
    client.force_login(superuser)
    edit_source(
        client, imported, form_data, body_en=imported.value("body", "en").replace("The Bottom Line", "In Short")
    )
    edit_source(client, imported, form_data, title_en="Crowdsourcing explained")

    page = client.get(change_url(imported)).content.decode()

    korean = section(page, "ko")
    assert "The source changed since this translation was last brought up to date:" in korean
    assert "## <del>The Bottom Line</del><ins>In Short</ins>" in korean
    assert "Crowdsourcing<ins> explained</ins>" in korean


def test_saving_a_translation_as_up_to_date_clears_its_mark_only(client, superuser, imported, form_data):
    client.force_login(superuser)
    edit_source(
        client, imported, form_data, body_en=imported.value("body", "en").replace("The Bottom Line", "In Short")
    )

    edit_source(
        client, imported, form_data, body_ko=imported.value("body", "ko") + "\n추가.\n", **{"up_to_date_ko": "on"}
    )

    assert imported.state("ko") == "current"
    assert imported.state("fr") == "outdated"
    page = client.get(change_url(imported)).content.decode()
    assert "Up to date with the source." in section(page, "ko")


def test_editing_an_outdated_translation_without_the_tick_keeps_the_mark(client, superuser, imported, form_data):
    client.force_login(superuser)
    edit_source(client, imported, form_data, title_en="Crowdsourcing explained")

    edit_source(client, imported, form_data, title_fr="Crowdsourcing !")

    assert imported.state("fr") == "outdated"


def test_a_later_source_change_marks_an_updated_translation_again(client, superuser, imported, form_data):
    client.force_login(superuser)
    edit_source(client, imported, form_data, title_en="Crowdsourcing explained")
    edit_source(client, imported, form_data, up_to_date_fr="on")

    edit_source(client, imported, form_data, title_en="Crowdsourcing, explained")

    assert imported.state("fr") == "outdated"
    page = client.get(change_url(imported)).content.decode()
    french = section(page, "fr")
    assert "Crowdsourcing<ins>,</ins> explained" in french


def test_new_translation_starts_up_to_date_with_the_source(client, superuser, make_article, form_data):
    article = make_article("payroll", {"en": ("Payroll", "Pay staff.")})
    client.force_login(superuser)

    edit_source(client, article, form_data, title_fr="Paie", body_fr="Payer le personnel.")

    assert article.state("fr") == "current"


# Coverage page -------------------------------------------------------------------------------------------------


def coverage_cells(page: str) -> dict[str, str]:
    """Return language → the text of its cell for the first article row."""
    row = page.split("<tbody>")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="state-(\w+)"><a href="[^"]*#language-([\w-]+)">.*?</a>\s*(.*?)\s*</td>', row, re.S)
    return {code: f"{state} {re.sub(r'<[^>]+>', '', counts).strip()}".strip() for state, code, counts in cells}


def test_coverage_page_shows_each_state_with_finding_counts_and_tab_links(client, superuser, imported, form_data):
    client.force_login(superuser)
    edit_source(client, imported, form_data, title_en="Crowdsourcing explained", up_to_date_ko="on")
    Article.objects.filter(pk=imported.pk).update(title_zh_hans="")
    ArticleVersion.objects.filter(article=imported, language="nb").update(draft=True, published=False)
    imported.refresh_from_db()

    page = client.get(reverse("admin:articles_article_coverage")).content.decode()

    cells = coverage_cells(page)
    assert [cells[code].split()[0] for code in ("ko", "nb", "zh-hans", "en", "fr")] == [
        "current",
        "draft",
        "missing",
        "current",
        "outdated",
    ]
    findings = imported.language_findings("fr")
    errors = sum(finding.severity == "error" for finding in findings)
    expected = f"{len(findings)} findings" + (f", {errors} error" if errors else "")
    assert cells["fr"].startswith(f"outdated {expected}")
    assert f'href="{change_url(imported)}#language-fr"' in page


def test_coverage_page_query_count_does_not_grow_with_articles(
    client, superuser, make_article, django_assert_num_queries
):
    client.force_login(superuser)
    make_article("one", {"en": ("One", "Text.")})
    url = reverse("admin:articles_article_coverage")
    client.get(url)
    # Session, user, articles, and their language versions (one row per language, review marks included).
    with django_assert_num_queries(4):
        client.get(url)
    for index in range(20):
        make_article(f"more-{index}", {"en": ("More", "Text."), "fr": ("Plus", "Texte [lien](/x).")})
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.content.decode().count('<th scope="row">') == 21


def test_coverage_page_needs_the_view_permission(client, imported):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))

    assert client.get(reverse("admin:articles_article_coverage")).status_code == 403


def test_changelist_filters_by_translation_state(client, superuser, imported, make_article, form_data):
    client.force_login(superuser)
    make_article("payroll", {"en": ("Payroll", "Pay staff.")})
    edit_source(client, imported, form_data, title_en="Crowdsourcing explained")
    url = reverse("admin:articles_article_changelist")

    def listed(state: str) -> list[str]:
        return [article.slug for article in client.get(url, {"translation": state}).context["cl"].result_list]

    assert listed("fr:outdated") == ["crowdsourcing"]
    assert listed("fr:missing") == ["payroll"]
    assert listed("fr:draft") == []
    assert listed("en:missing") == []
    counted = client.get(url, {"_facets": "True"}).content.decode()
    assert "Français: outdated (1)" in counted and "Français: missing (1)" in counted
