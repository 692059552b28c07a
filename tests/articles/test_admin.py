import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from articles.forms import MAX_BODY_LENGTH
from articles.models import SOURCE_FIELDS, Article, ArticleVersion
from articles.services import article_document, articles_delete
from glossary.models import TermName
from markup.fixes import fix_id

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_change_page_has_a_section_per_language_with_preview_findings_and_side_by_side(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(change_url(imported)).content.decode()

    for code, name in (
        ("ko", "한국어"),
        ("nb", "Norsk bokmål"),
        ("zh-hans", "简体中文"),
        ("en", "English"),
        ("fr", "Français"),
    ):
        assert f"language-{code}" in page and name in page
    assert "English — source" in page
    assert "markup.placeholder" in page and "apply-fix" in page
    assert page.count('class="side-by-side"') == 4  # every language but the source
    assert page.count('class="live-preview"') == 5


def test_side_by_side_pairs_source_and_translation_blocks(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(change_url(imported)).content.decode()

    french = page.split('class="side-by-side"')[4]
    assert re.search(r'<td lang="en">What Is Crowdsourcing\?</td><td lang="fr">Qu&#x27;est-ce que', french)


def test_scripts_are_static_files_that_are_served_and_none_is_inline(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(change_url(imported)).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    for tag in scripts:
        assert 'src="' in tag or 'type="application/json"' in tag, tag
    sources = re.findall(r'<script[^>]* src="/static/([^"?]+)', page) + re.findall(
        r'<link[^>]* href="/static/([^"?]+\.css)', page
    )
    assert "admin-extra/tabs.js" in sources and "admin-extra/preview.js" in sources
    assert "admin-extra/workbench.css" in sources
    for source in sources:
        assert finders.find(source), source
        assert client.get(f"/static/{source}").status_code == 200, source


def test_saving_one_language_renders_it_and_no_other(client, superuser, imported, form_data):
    client.force_login(superuser)
    data = form_data(client, imported)
    french_html = imported.value("body_html", "fr")
    ArticleVersion.objects.filter(article=imported, language="fr").update(body_html="<p>stored before</p>")

    response = client.post(change_url(imported), {**data, "body_ko": data["body_ko"].replace("결론", "요약")})

    assert response.status_code == 302
    imported.refresh_from_db()
    assert "요약" in imported.value("body_html", "ko")
    assert imported.value("body_html", "fr") == "<p>stored before</p>" != french_html
    assert imported.version == 2


def test_readers_see_a_saved_edit_on_the_next_request(client, superuser, imported, form_data):
    assert "요약" not in client.get("/ko/articles/crowdsourcing/").content.decode()  # now in the page cache
    client.force_login(superuser)
    data = form_data(client, imported)

    client.post(change_url(imported), {**data, "body_ko": data["body_ko"].replace("결론", "요약")})

    assert "요약" in Client().get("/ko/articles/crowdsourcing/").content.decode()


def test_draft_language_is_missing_for_readers_and_kept_for_editors(client, superuser, imported, form_data):
    client.force_login(superuser)

    client.post(change_url(imported), {**form_data(client, imported), "draft_fr": "on"})

    reader = Client()
    assert reader.get("/fr/articles/crowdsourcing/").status_code == 404
    switcher = reader.get("/en/articles/crowdsourcing/").content.decode().split('class="switcher"')[1]
    assert re.search(r'class="lang-missing"[^>]*>Français', switcher)
    imported.refresh_from_db()
    assert imported.value("body", "fr") and imported.state("fr") == "draft"
    assert "fr" not in imported.available_languages()
    assert form_data(client, imported)["draft_fr"] == "on"


def test_unticking_draft_publishes_the_language_again(client, superuser, imported, form_data):
    ArticleVersion.objects.filter(article=imported, language="fr").update(draft=True, published=False)
    client.force_login(superuser)
    data = form_data(client, imported)

    client.post(change_url(imported), {name: value for name, value in data.items() if name != "draft_fr"})

    assert Client().get("/fr/articles/crowdsourcing/").status_code == 200


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


def test_preview_sanitises_like_the_site(client, superuser, imported):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_article_preview", args=["fr"]),
        {"body": 'Texte <script>alert(1)</script> <a href="javascript:x">a</a>'},
    )

    assert "<script" not in response.json()["html"] and "javascript:" not in response.json()["html"]


def test_preview_requires_post_and_a_csrf_token(superuser, imported):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    url = reverse("admin:articles_article_preview", args=["ko"])

    assert client.get(url).status_code == 405
    assert client.post(url, {"body": "x"}).status_code == 403


def test_preview_is_for_staff_only(client, imported):
    response = client.post(reverse("admin:articles_article_preview", args=["ko"]), {"body": "x"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_too_long_body_is_refused_and_the_text_kept(client, superuser, imported, form_data):
    client.force_login(superuser)
    long_body = "가" * 200_001

    response = client.post(change_url(imported), {**form_data(client, imported), "body_ko": long_body})

    assert response.status_code == 200
    assert "the limit is 200000" in response.content.decode()
    assert response.context["adminform"].form["body_ko"].value() == long_body


def test_empty_source_title_is_refused_and_the_other_edits_kept(client, superuser, imported, form_data):
    client.force_login(superuser)

    response = client.post(
        change_url(imported), {**form_data(client, imported), "title_en": "", "title_fr": "Titre modifié"}
    )

    assert response.status_code == 200
    assert "The title in the source language (English) cannot be empty." in response.content.decode()
    assert response.context["adminform"].form["title_fr"].value() == "Titre modifié"
    imported.refresh_from_db()
    assert imported.value("title", "en") == "Crowdsourcing"


def test_empty_title_in_a_translation_is_allowed(client, superuser, imported, form_data):
    client.force_login(superuser)

    response = client.post(change_url(imported), {**form_data(client, imported), "title_nb": ""})

    assert response.status_code == 302


def test_html_the_sanitiser_removes_is_reported_in_the_form(client, superuser, imported, form_data):
    client.force_login(superuser)
    body = "Texte\n\n<script>alert(1)</script>"

    response = client.post(change_url(imported), {**form_data(client, imported), "body_fr": body})

    assert response.status_code == 200
    assert "Removed before readers see it (line 3)" in response.content.decode()
    assert response.context["adminform"].form["body_fr"].value() == body


def test_invalid_markdown_never_blocks_a_save(client, superuser, imported, form_data):
    client.force_login(superuser)

    response = client.post(
        change_url(imported), {**form_data(client, imported), "body_fr": "##Titre\n\n> a\n\n> b\n\n[x](/y"}
    )

    assert response.status_code == 302
    imported.refresh_from_db()
    assert "markup.heading-no-space" in {finding.code for finding in imported.language_findings("fr")}


def test_browser_line_ends_do_not_change_the_verbatim_source(client, superuser, imported, seed_path, form_data):
    client.force_login(superuser)
    data = form_data(client, imported)
    posted = {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}

    client.post(change_url(imported), {**posted, "title_nb": "Crowdsourcing (ny)"})

    imported.refresh_from_db()
    assert imported.value("body", "ko") == (seed_path / "crowdsourcing" / "ko.md").read_text().split("---\n", 2)[2]
    assert "\r" not in imported.value("body", "fr")


def fix_url(article, language: str) -> str:
    return reverse("admin:articles_article_fix", args=[article.pk, language])


def form_fields(data: dict, language: str) -> dict:
    """The fields of one language as fixes.js posts them: title, description, keywords and body from the form."""
    suffix = language.replace("-", "_")
    return {name: data[f"{name}_{suffix}"] for name in SOURCE_FIELDS}


def entity_fix(article) -> str:
    finding = next(f for f in article.language_findings("fr") if f.code == "meta.entity")
    return fix_id(finding, text=article_document(article, "fr").text)


def test_apply_fix_answers_the_fixed_text_of_the_form_and_stores_nothing(client, superuser, imported, form_data):
    client.force_login(superuser)
    data = form_data(client, imported)
    typed = data["body_fr"].replace("## Comprendre le crowdsourcing", "## Pas encore enregistré")

    response = client.post(
        fix_url(imported, "fr"), {**form_fields({**data, "body_fr": typed}, "fr"), "fix": entity_fix(imported)}
    )

    assert response.status_code == 200
    answer = response.json()
    assert set(answer["fields"]) == {"description_fr"}  # the body, edited in the form, is left as typed
    assert "d'un grand groupe" in answer["fields"]["description_fr"]
    imported.refresh_from_db()
    assert imported.version == 1 and "d&#39;un" in imported.value("description", "fr")


def test_a_fix_on_the_text_in_the_form_is_found_by_its_id_after_lines_were_added_above(
    client, superuser, imported, form_data
):
    client.force_login(superuser)
    data = form_data(client, imported)
    fix = next(f for f in imported.language_findings("fr") if f.fix is not None and f.line > 5)
    shown = fix_id(fix, text=article_document(imported, "fr").text)
    fields = form_fields(data, "fr")
    fields["body"] = "Un paragraphe ajouté.\n\n" + fields["body"]

    response = client.post(fix_url(imported, "fr"), {**fields, "fix": shown})

    assert response.status_code == 200, response.json()
    assert response.json()["fields"]["body_fr"].startswith("Un paragraphe ajouté.\n\n")


def test_a_fix_whose_passage_changed_in_the_form_is_refused_with_what_changed(client, superuser, imported, form_data):
    client.force_login(superuser)
    fields = form_fields(form_data(client, imported), "fr")
    fields["description"] = "Une autre description, écrite depuis."

    response = client.post(fix_url(imported, "fr"), {**fields, "fix": entity_fix(imported)})

    assert response.status_code == 409
    assert "changed since this fix was shown" in response.json()["error"]
    assert "Une autre description" in response.json()["error"]


def test_a_fix_id_that_is_not_one_is_refused(client, superuser, imported, form_data):
    client.force_login(superuser)
    fields = form_fields(form_data(client, imported), "fr")

    response = client.post(fix_url(imported, "fr"), {**fields, "fix": "3"})

    assert response.status_code == 409 and "This is not a fix id: 3" in response.json()["error"]


def test_a_fix_on_an_oversized_body_is_refused_with_the_limit(client, superuser, imported, form_data):
    client.force_login(superuser)
    fields = form_fields(form_data(client, imported), "fr")
    fields["body"] = "x" * (MAX_BODY_LENGTH + 1)

    response = client.post(fix_url(imported, "fr"), {**fields, "fix": entity_fix(imported)})

    assert response.status_code == 400 and "the limit is 200000" in response.json()["error"]


def test_a_fix_on_a_deleted_article_says_so(client, superuser, imported, form_data):
    client.force_login(superuser)
    fields = form_fields(form_data(client, imported), "fr")
    fix = entity_fix(imported)
    url = fix_url(imported, "fr")
    articles_delete(article_ids=[imported.pk])

    response = client.post(url, {**fields, "fix": fix})

    assert response.status_code == 404 and "This article was deleted" in response.json()["error"]


def test_the_fix_button_carries_the_stable_id_of_its_fix(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(change_url(imported)).content.decode()

    assert f'data-fix="{entity_fix(imported)}"' in page
    assert 'type="button" class="button apply-fix"' in page


def test_saving_a_form_the_fix_went_into_stores_the_fix_and_every_other_edit(client, superuser, imported, form_data):
    client.force_login(superuser)
    data = form_data(client, imported)
    data["body_ko"] = data["body_ko"] + "\n추가 문단.\n"
    fixed = client.post(fix_url(imported, "fr"), {**form_fields(data, "fr"), "fix": entity_fix(imported)}).json()

    response = client.post(change_url(imported), {**data, **fixed["fields"]})

    assert response.status_code == 302
    imported.refresh_from_db()
    assert "d'un grand groupe" in imported.value("description", "fr")
    assert imported.value("body", "ko").endswith("추가 문단.\n")
    assert "meta.entity" not in {f.code for f in imported.language_findings("fr")}


def test_a_save_of_an_article_deleted_meanwhile_shows_the_editors_texts(client, superuser, imported, form_data):
    client.force_login(superuser)
    data = form_data(client, imported)
    data["body_fr"] = "Mon texte que je ne veux pas perdre.\n"
    articles_delete(article_ids=[imported.pk])

    response = client.post(change_url(imported), data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "deleted this article while you were editing it" in page
    assert "Mon texte que je ne veux pas perdre." in page


def test_new_article_from_admin_is_rendered_and_published(client, superuser, db):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_article_add"),
        {"slug": "payroll", "source_language": "en", "title_en": "Payroll", "body_en": "Pay [staff](/staff)."},
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="payroll")
    assert 'href="/en/terms/staff/"' in article.value("body_html", "en")
    assert Client().get("/en/articles/payroll/").status_code == 200


def test_changelist_shows_the_state_of_every_language(client, superuser, imported):
    ArticleVersion.objects.filter(article=imported, language="nb").update(draft=True, published=False)
    client.force_login(superuser)

    page = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert 'class="language-state state-draft" title="Norsk bokmål: draft">nb<' in page
    assert 'class="language-state state-current" title="한국어: up to date">ko<' in page


def test_changelist_searches_titles_in_every_language(client, superuser, imported, make_article):
    make_article("payroll", {"en": ("Payroll", "Text.")})
    client.force_login(superuser)

    response = client.get(reverse("admin:articles_article_changelist"), {"q": "众包"})

    assert [article.slug for article in response.context["cl"].result_list] == ["crowdsourcing"]


def test_term_names_harvested_from_links_can_be_confirmed(client, superuser, imported):
    client.force_login(superuser)
    harvested = TermName.objects.filter(origin=TermName.Origin.LINK_TEXT, confirmed=False)
    chosen = list(harvested.values_list("pk", flat=True)[:2])
    assert chosen

    client.post(
        reverse("admin:glossary_termname_changelist"),
        {"action": "confirm_names", "_selected_action": chosen},
    )

    assert set(TermName.objects.filter(pk__in=chosen).values_list("confirmed", flat=True)) == {True}


def test_term_admin_shows_names_per_language_with_their_state(client, superuser, imported):
    client.force_login(superuser)
    term = imported.term

    response = client.get(reverse("admin:glossary_term_change", args=[term.pk]))

    names = response.context["inline_admin_formsets"][0].formset.queryset
    assert {name.language for name in names} == {"ko", "nb", "zh-hans", "en", "fr"}
    assert 'name="names-0-confirmed"' in response.content.decode()
