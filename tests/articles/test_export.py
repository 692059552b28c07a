from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from tests.conftest import save_edits


def export(path) -> str:
    out = StringIO()
    call_command("export_articles", str(path), stdout=out)
    return out.getvalue()


def test_unedited_articles_export_byte_identical(imported, seed_path, languages, tmp_path):
    output = export(tmp_path)

    for language in languages:
        exported = (tmp_path / "crowdsourcing" / f"{language}.md").read_bytes()
        assert exported == (seed_path / "crowdsourcing" / f"{language}.md").read_bytes(), language
    assert "Exported 5 language versions" in output


def test_edited_article_exports_the_edit_and_keeps_the_rest(imported, seed_path, tmp_path):
    imported.set_value("description", "fr", "Le crowdsourcing consiste à obtenir d'un grand groupe: du travail.")
    imported.set_value("body", "fr", imported.value("body", "fr").replace("L'essentiel", "En résumé"))
    save_edits(imported, languages=["fr"])

    export(tmp_path)

    text = (tmp_path / "crowdsourcing" / "fr.md").read_text(encoding="utf-8")
    original = (seed_path / "crowdsourcing" / "fr.md").read_text(encoding="utf-8")
    assert "## En résumé" in text
    assert "description: 'Le crowdsourcing consiste à obtenir d''un grand groupe: du travail.'" in text
    assert text.splitlines()[1:3] == original.splitlines()[1:3]  # keywords and title lines untouched


def test_exported_files_import_back_without_changes(imported, tmp_path):
    export(tmp_path)
    out = StringIO()

    call_command("import_articles", str(tmp_path), stdout=out)

    assert "No changes" in out.getvalue()


def test_edit_then_export_then_import_round_trips(imported, tmp_path):
    imported.set_value("title", "nb", "Crowdsourcing: folkedugnad")
    save_edits(imported, languages=["nb"])
    export(tmp_path)
    Article.objects.all().delete()

    call_command("import_articles", str(tmp_path), stdout=StringIO())

    assert Article.objects.get().value("title", "nb") == "Crowdsourcing: folkedugnad"


@pytest.mark.django_db
def test_export_into_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")

    with pytest.raises(CommandError, match="is not a folder"):
        export(target)


def test_article_without_a_language_exports_no_file_for_it(make_article, tmp_path):
    make_article("payroll", {"en": ("Payroll", "Pay staff.\n")})

    export(tmp_path)

    assert [path.name for path in (tmp_path / "payroll").iterdir()] == ["en.md"]
    assert (tmp_path / "payroll" / "en.md").read_text(encoding="utf-8").startswith("---\n")


def test_reimport_after_an_admin_edit_keeps_the_edit_and_lists_the_conflict(imported, articles_copy):
    imported.set_value("title", "fr", "Crowdsourcing (édité)")
    imported.set_value("title", "nb", "Crowdsourcing (redigert)")
    save_edits(imported, languages=["fr", "nb"])
    french = articles_copy / "crowdsourcing" / "fr.md"
    french.write_text(
        french.read_text(encoding="utf-8").replace("title: Crowdsourcing", "title: Production participative")
    )
    out = StringIO()

    call_command("import_articles", str(articles_copy), stdout=out)

    imported.refresh_from_db()
    assert imported.value("title", "fr") == "Crowdsourcing (édité)"
    assert imported.value("title", "nb") == "Crowdsourcing (redigert)"
    assert "conflict: title of crowdsourcing/fr" in out.getvalue()
    assert "kept: title of crowdsourcing/nb" in out.getvalue()


def test_an_edit_in_admin_exports_exactly_that_edit(client, superuser, form_data, imported, seed_path, tmp_path):
    client.force_login(superuser)
    data = form_data(client, imported)
    posted = {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}
    client.post(
        reverse("admin:articles_article_change", args=[imported.pk]),
        {**posted, "body_ko": posted["body_ko"].replace("## 결론", "## 요약")},
    )

    export(tmp_path)

    original = (seed_path / "crowdsourcing" / "ko.md").read_bytes()
    assert (tmp_path / "crowdsourcing" / "ko.md").read_bytes() == original.replace(
        "## 결론".encode(), "## 요약".encode()
    )
    for language in ("nb", "zh-hans", "en", "fr"):
        exported = (tmp_path / "crowdsourcing" / f"{language}.md").read_bytes()
        assert exported == (seed_path / "crowdsourcing" / f"{language}.md").read_bytes(), language
