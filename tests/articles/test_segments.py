"""The segment view (articles/admin_views.py article_segments_page) and review marks (articles/reviews.py)."""

import html
import re

import pytest
from django.urls import reverse

from articles.models import Article, ArticleVersion
from articles.reviews import block_hash
from markup.qa import version_passages
from markup.segments import passage_source
from tests.conftest import save_edits

pytestmark = pytest.mark.django_db


def segments_url(article, language: str) -> str:
    return reverse("admin:articles_article_segments", args=[article.pk, language])


def page_form(client, article, language: str) -> dict:
    """What the segment page's form posts back as loaded: every hidden input and textarea."""
    page = client.get(segments_url(article, language)).content.decode()
    data = {name: value for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    data.update(dict(re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, flags=re.DOTALL)))
    return {name: html.unescape(value) for name, value in data.items()}


def block_index(body: str, text: str) -> int:
    return next(i for i, passage in enumerate(version_passages(body)) if text in passage_source(passage))


def test_the_segment_page_aligns_source_and_translation_blocks_with_their_findings(client, superuser, imported):
    client.force_login(superuser)

    page = client.get(segments_url(imported, "fr")).content.decode()

    assert "## Understanding Crowdsourcing" in page and "## Comprendre le crowdsourcing" in page
    assert page.count('<tr class="segment') >= len(version_passages(imported.value("body", "fr")))
    assert '<ul class="findings"><li class="finding-' in page


def test_saving_one_block_keeps_every_other_byte_of_the_body(client, superuser, imported):
    client.force_login(superuser)
    before = imported.value("body", "fr")
    data = page_form(client, imported, "fr")
    index = block_index(before, "## Comprendre le crowdsourcing")
    data[f"block-{index}"] = "## Le crowdsourcing expliqué"

    response = client.post(segments_url(imported, "fr"), data)

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.value("body", "fr") == before.replace(
        "## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué"
    )


def test_a_segment_save_against_a_newer_version_merges_other_blocks(client, superuser, imported):
    client.force_login(superuser)
    data = page_form(client, imported, "fr")
    loaded = imported.value("body", "fr")
    imported.set_value("body", "fr", loaded.replace("## Crowdsourcing vs", "## Crowdsourcing ou"))
    save_edits(imported, languages=["fr"])
    data[f"block-{block_index(loaded, '## Comprendre')}"] = "## Le crowdsourcing expliqué"

    response = client.post(segments_url(imported, "fr"), data)

    assert response.status_code == 302
    body = Article.objects.get(pk=imported.pk).value("body", "fr")
    assert "## Le crowdsourcing expliqué" in body and "## Crowdsourcing ou" in body


def test_a_segment_save_of_a_block_someone_changed_meanwhile_saves_nothing_and_shows_my_text(
    client, superuser, imported
):
    client.force_login(superuser)
    data = page_form(client, imported, "fr")
    loaded = imported.value("body", "fr")
    imported.set_value("body", "fr", loaded.replace("## Comprendre", "## Saisir"))
    save_edits(imported, languages=["fr"])
    data[f"block-{block_index(loaded, '## Comprendre')}"] = "## Cerner le crowdsourcing"

    response = client.post(segments_url(imported, "fr"), data)

    assert response.status_code == 200
    assert "Someone else changed the same blocks" in response.content.decode()
    assert "## Cerner le crowdsourcing" in response.content.decode()
    assert "## Saisir" in Article.objects.get(pk=imported.pk).value("body", "fr")


def test_review_marks_are_kept_per_block_and_drop_when_the_block_changes(client, superuser, imported):
    client.force_login(superuser)
    body = imported.value("body", "fr")
    data = page_form(client, imported, "fr")
    heading, other = block_index(body, "## Comprendre"), block_index(body, "## Crowdsourcing vs")
    data[f"reviewed-{heading}"] = data[f"reviewed-{other}"] = "on"

    client.post(segments_url(imported, "fr"), data)
    review = ArticleVersion.objects.get(article=imported, language="fr")
    assert len(review.reviewed) == 2 and review.block_count == len(
        {block_hash(passage_source(p)) for p in version_passages(body)}
    )

    imported.set_value("body", "fr", body.replace("## Comprendre le crowdsourcing", "## Saisir"))
    save_edits(imported, languages=["fr"])

    review.refresh_from_db()
    assert review.reviewed == [block_hash("## Crowdsourcing vs Crowdfunding")]
    coverage = client.get(reverse("admin:articles_article_coverage")).content.decode()
    assert f"1/{review.block_count} blocks reviewed" in coverage


def test_an_editor_of_another_language_reads_the_segments_but_cannot_save(client, make_editor, imported):
    client.force_login(make_editor("ko"))

    page = client.get(segments_url(imported, "fr")).content.decode()
    response = client.post(segments_url(imported, "fr"), {"expected_version": "1"})

    assert "<textarea" not in page
    assert response.status_code == 403
