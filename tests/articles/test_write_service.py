"""articles.services.article_write: the one write path, whoever writes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

import articles.services
from articles.models import Article, ArticleVersion
from articles.services import article_write
from core.generation import content_generation
from tests.articles.conftest import article_url, change_url

pytestmark = pytest.mark.django_db


def write(article, changes, *, seen, base=None, **options):
    return article_write(
        article_id=article.pk, changes=changes, seen_version=seen, base=base, source="admin", **options
    )


def test_a_save_from_the_version_read_is_written_and_bumps_the_version(imported):
    result = write(imported, {("title", "fr"): "Titre"}, seen=imported.version)

    stored = Article.objects.get(pk=imported.pk)
    assert result.saved and not result.conflicts
    assert stored.value("title", "fr") == "Titre" and stored.version == imported.version + 1


def test_a_field_changed_by_someone_else_since_comes_back_as_a_conflict_and_nothing_is_written(imported):
    loaded = imported.value("title", "fr")
    write(imported, {("title", "fr"): "Le premier"}, seen=imported.version)

    result = write(
        imported,
        {("title", "fr"): "Le second", ("title", "nb"): "Tittel"},
        base={("title", "fr"): loaded, ("title", "nb"): imported.value("title", "nb")},
        seen=imported.version,
    )

    assert not result.saved
    [conflict] = result.conflicts
    assert (conflict.field, conflict.language, conflict.theirs, conflict.mine) == (
        "title",
        "fr",
        "Le premier",
        "Le second",
    )
    stored = Article.objects.get(pk=imported.pk)
    assert stored.value("title", "fr") == "Le premier" and stored.value("title", "nb") != "Tittel"
    assert stored.version == imported.version + 1


def test_different_fields_changed_since_are_merged(imported):
    base = {("title", "nb"): imported.value("title", "nb")}
    write(imported, {("title", "fr"): "Le premier"}, seen=imported.version)

    result = write(imported, {("title", "nb"): "Tittel"}, base=base, seen=imported.version)

    stored = Article.objects.get(pk=imported.pk)
    assert result.saved
    assert (stored.value("title", "fr"), stored.value("title", "nb")) == ("Le premier", "Tittel")
    assert stored.version == imported.version + 2


def test_a_field_the_writer_left_as_loaded_keeps_what_someone_else_saved(imported):
    base = {("title", "fr"): imported.value("title", "fr")}
    write(imported, {("title", "fr"): "Le premier"}, seen=imported.version)

    result = write(imported, {("title", "fr"): imported.value("title", "fr")}, base=base, seen=imported.version)

    assert not result.saved and not result.conflicts
    assert Article.objects.get(pk=imported.pk).value("title", "fr") == "Le premier"


def test_a_save_renders_the_changed_language_once_and_no_other(imported, monkeypatch):
    rendered = []
    render = articles.services.render_markdown
    monkeypatch.setattr(
        articles.services, "render_markdown", lambda text, **kw: rendered.append(text) or render(text, **kw)
    )
    body = imported.value("body", "fr") + "\nUn paragraphe de plus.\n"

    result = write(imported, {("body", "fr"): body}, seen=imported.version)

    assert result.rendered == ["fr"]
    assert rendered == [body]


def test_a_write_moves_the_content_generation_on_and_a_refused_one_does_not(imported):
    before = content_generation()
    write(imported, {("title", "fr"): "Le premier"}, seen=imported.version)
    after = content_generation()

    write(imported, {("title", "fr"): "Le second"}, base={("title", "fr"): "autre"}, seen=imported.version)

    assert after > before
    assert content_generation() == after


def test_an_import_bumps_the_version_and_keeps_an_editors_change(articles_copy, superuser):
    call_command("import_articles", str(articles_copy), stdout=StringIO())
    article = Article.objects.get(slug="crowdsourcing")
    write(article, {("title", "fr"): "Titre de l'éditeur"}, seen=article.version)
    french = articles_copy / "crowdsourcing" / "fr.md"
    french.write_text(french.read_text().replace("title: Crowdsourcing", "title: Titre du fichier", 1))
    nb = articles_copy / "crowdsourcing" / "nb.md"
    nb.write_text(nb.read_text() + "\nEt avsnitt til.\n")

    out = StringIO()
    call_command("import_articles", str(articles_copy), stdout=out)

    stored = Article.objects.get(pk=article.pk)
    assert stored.value("title", "fr") == "Titre de l'éditeur"
    assert stored.value("body", "nb").endswith("Et avsnitt til.\n")
    assert stored.version == article.version + 2
    assert "conflict: title of crowdsourcing/fr" in out.getvalue()


def test_a_revert_opened_before_another_save_gets_a_conflict(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "Changé"})
    revert_url = reverse("admin:articles_article_revision", args=[imported.pk, first.pk])
    revert_form = form_data(client, revert_url)
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "Changé encore"})

    response = client.post(revert_url, revert_form)

    assert response.status_code == 200
    assert "Someone else saved a different text here" in response.content.decode()
    assert Article.objects.get(pk=imported.pk).value("title", "fr") == "Changé encore"


def test_opening_a_revert_page_writes_nothing(client, superuser, imported, form_data):
    client.force_login(superuser)
    first = Version.objects.get_for_object(imported).first()
    client.post(change_url(imported), {**form_data(client, imported), "title_fr": "Changé"})
    version = Article.objects.get(pk=imported.pk).version

    client.get(reverse("admin:articles_article_revision", args=[imported.pk, first.pk]))

    stored = Article.objects.get(pk=imported.pk)
    assert stored.value("title", "fr") == "Changé" and stored.version == version


def test_a_bulk_draft_action_goes_through_the_service_and_refreshes_the_pages(client, superuser, imported):
    reader = Client()
    assert reader.get(article_url("nb")).status_code == 200  # cached now
    alternate = 'hreflang="nb" href="http://testserver/nb/'
    assert alternate in reader.get(article_url("fr")).content.decode()
    client.force_login(superuser)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "mark_draft_nb", "_selected_action": [imported.pk]},
    )

    stored = Article.objects.get(pk=imported.pk)
    assert stored.draft_languages == ["nb"] and stored.version == imported.version + 1
    assert ArticleVersion.objects.get(article=imported, language="nb").page_html == ""
    assert reader.get(article_url("nb")).status_code == 404
    assert alternate not in reader.get(article_url("fr")).content.decode()


def test_bulk_actions_are_offered_only_for_the_languages_one_may_edit(client, make_editor, imported):
    client.force_login(make_editor("ko"))

    response = client.get(reverse("admin:articles_article_changelist"))

    actions = {value for value, _label in response.context["action_form"].fields["action"].choices}
    assert {"mark_draft_ko", "mark_published_ko", "mark_up_to_date_ko"} <= actions
    assert not any(action.endswith("_fr") for action in actions)


def test_deleting_an_article_in_admin_drops_its_cached_pages(client, superuser, imported):
    reader = Client()
    assert reader.get(article_url("fr")).status_code == 200  # cached now
    client.force_login(superuser)

    client.post(reverse("admin:articles_article_delete", args=[imported.pk]), {"post": "yes"})

    assert not Article.objects.filter(pk=imported.pk).exists()
    assert reader.get(article_url("fr")).status_code == 404


def test_a_new_article_with_html_the_sanitiser_removes_is_refused_with_the_form_kept(client, superuser, db):
    client.force_login(superuser)
    body = "Pay staff.\n\n<script>alert(1)</script>\n"

    response = client.post(
        reverse("admin:articles_article_add"),
        {"slug": "payroll", "source_language": "en", "title_en": "Payroll", "body_en": body},
    )

    assert response.status_code == 200
    assert "Removed before readers see it (line 3)" in response.content.decode()
    assert response.context["adminform"].form["body_en"].value() == body
    assert not Article.objects.filter(slug="payroll").exists()


def test_a_body_both_changed_in_different_paragraphs_is_merged_block_by_block(imported):
    loaded = imported.value("body", "fr")
    theirs = loaded.replace("## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué")
    write(imported, {("body", "fr"): theirs}, seen=imported.version)
    mine = loaded.replace("## Crowdsourcing vs Crowdfunding", "## Crowdsourcing ou crowdfunding")

    result = write(imported, {("body", "fr"): mine}, base={("body", "fr"): loaded}, seen=imported.version)

    assert result.saved and not result.conflicts
    stored = Article.objects.get(pk=imported.pk).value("body", "fr")
    assert "## Le crowdsourcing expliqué" in stored and "## Crowdsourcing ou crowdfunding" in stored
    assert stored == loaded.replace("## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué").replace(
        "## Crowdsourcing vs Crowdfunding", "## Crowdsourcing ou crowdfunding"
    )


def test_a_paragraph_both_changed_comes_back_as_a_block_conflict_with_the_rest_merged(imported):
    loaded = imported.value("body", "fr")
    write(imported, {("body", "fr"): loaded.replace("## Comprendre", "## Saisir")}, seen=imported.version)
    mine = loaded.replace("## Comprendre", "## Cerner").replace("## Crowdsourcing vs", "## Crowdsourcing contre")

    result = write(imported, {("body", "fr"): mine}, base={("body", "fr"): loaded}, seen=imported.version)

    assert not result.saved
    [conflict] = result.conflicts
    [block] = conflict.blocks
    assert (block.mine, block.theirs) == ("## Cerner le crowdsourcing", "## Saisir le crowdsourcing")
    assert "## Crowdsourcing contre" in conflict.merged and "## Cerner le crowdsourcing" in conflict.merged
    assert "## Saisir" in Article.objects.get(pk=imported.pk).value("body", "fr")


def test_the_import_merges_a_file_change_with_an_editors_change_of_another_paragraph(imported, articles_copy):
    loaded = imported.value("body", "fr")
    edited = loaded.replace("## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué")
    write(imported, {("body", "fr"): edited}, seen=imported.version)
    french = articles_copy / "crowdsourcing" / "fr.md"
    french.write_text(french.read_text(encoding="utf-8").replace("## Crowdsourcing vs", "## Crowdsourcing ou"))

    call_command("import_articles", str(articles_copy), stdout=StringIO())

    stored = Article.objects.get(pk=imported.pk).value("body", "fr")
    assert "## Le crowdsourcing expliqué" in stored and "## Crowdsourcing ou Crowdfunding" in stored


def test_the_import_keeps_the_editors_text_of_a_paragraph_both_changed_and_writes_the_rest(imported, articles_copy):
    loaded = imported.value("body", "fr")
    write(imported, {("body", "fr"): loaded.replace("## Comprendre", "## Saisir")}, seen=imported.version)
    french = articles_copy / "crowdsourcing" / "fr.md"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace("## Comprendre", "## Cerner").replace("## Crowdsourcing vs", "## Crowdsourcing ou"))

    call_command("import_articles", str(articles_copy), stdout=StringIO())

    stored = Article.objects.get(pk=imported.pk).value("body", "fr")
    assert "## Saisir le crowdsourcing" in stored and "## Crowdsourcing ou Crowdfunding" in stored
    assert "## Cerner" not in stored


def test_a_write_to_a_deleted_article_says_so_and_writes_nothing(imported):
    pk = imported.pk
    articles.services.articles_delete(article_ids=[pk])

    result = write(imported, {("body", "fr"): "Mon texte."}, seen=imported.version)

    assert result.missing and not result.saved
    assert not Article.objects.filter(pk=pk).exists()
