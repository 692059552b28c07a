import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from articles.services import article_languages_refresh


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
    article_languages_refresh(article=imported, languages=["fr"])

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
    article_languages_refresh(article=imported, languages=["nb"])
    export(tmp_path)
    Article.objects.all().delete()

    call_command("import_articles", str(tmp_path), stdout=StringIO())

    assert Article.objects.get().value("title", "nb") == "Crowdsourcing: folkedugnad"


@pytest.mark.django_db
def test_export_into_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")

    with pytest.raises(CommandError, match="file: not a folder"):
        export(target)


def test_article_without_a_language_exports_no_file_for_it(make_article, tmp_path):
    make_article("payroll", {"en": ("Payroll", "Pay staff.\n")})

    export(tmp_path)

    assert [path.name for path in (tmp_path / "payroll").iterdir()] == ["en.md"]
    assert (tmp_path / "payroll" / "en.md").read_text(encoding="utf-8").startswith("---\n")


def test_reimport_after_an_admin_edit_keeps_the_edit_and_lists_the_conflict(imported, articles_copy):
    imported.set_value("title", "fr", "Crowdsourcing (édité)")
    imported.set_value("title", "nb", "Crowdsourcing (redigert)")
    article_languages_refresh(article=imported, languages=["fr", "nb"])
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


def test_a_language_version_no_longer_in_the_database_is_removed_from_the_target(imported, tmp_path):
    export(tmp_path)
    imported.set_value("title", "nb", "")
    imported.set_value("body", "nb", "")
    article_languages_refresh(article=imported, languages=["nb"])
    (tmp_path / "crowdsourcing" / "img").mkdir()
    (tmp_path / "crowdsourcing" / "img" / "old.png").write_bytes(b"x")

    output = export(tmp_path)

    assert not (tmp_path / "crowdsourcing" / "nb.md").exists()
    assert not (tmp_path / "crowdsourcing" / "img").exists()
    assert "removed crowdsourcing/nb.md" in output
    assert "removed crowdsourcing/img/old.png" in output


def test_export_never_deletes_files_it_did_not_write(imported, tmp_path):
    ours_not = [
        tmp_path / "README.md",
        tmp_path / "crowdsourcing" / "de.md",
        tmp_path / "crowdsourcing" / "notes.txt",
        tmp_path / "deleted-article" / "en.md",
    ]
    for path in ours_not:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep me", encoding="utf-8")

    export(tmp_path)

    assert all(path.read_text(encoding="utf-8") == "keep me" for path in ours_not)


def bad_target(kind: str, root):
    """Make `root` (the export folder) a bad place to export to, in the way `kind` says."""
    root.mkdir()
    if kind == "a file where the article folder goes":
        (root / "crowdsourcing").write_text("x")
    elif kind == "a folder where a language file goes":
        (root / "crowdsourcing" / "en.md").mkdir(parents=True)
    elif kind == "a link where a language file goes":
        (root / "crowdsourcing").mkdir()
        (root / "crowdsourcing" / "en.md").symlink_to(root.parent / "elsewhere.md")
    elif kind == "a link where the article folder goes":
        (root.parent / "elsewhere").mkdir()
        (root / "crowdsourcing").symlink_to(root.parent / "elsewhere")


@pytest.mark.parametrize(
    ("kind", "named", "expected"),
    [
        ("a file where the article folder goes", "crowdsourcing", "not a folder"),
        ("a folder where a language file goes", "crowdsourcing/en.md", "not a regular file"),
        ("a link where a language file goes", "crowdsourcing/en.md", "not a regular file"),
        ("a link where the article folder goes", "crowdsourcing", "not a folder"),
    ],
)
def test_a_bad_target_is_named_and_nothing_is_written(imported, tmp_path, kind, named, expected):
    root = tmp_path / "out"
    bad_target(kind, root)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))

    with pytest.raises(CommandError) as error:
        export(root)

    assert f"{root / named}: {expected}" in str(error.value)
    assert "Nothing was exported" in str(error.value)
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before
    assert not (tmp_path / "elsewhere.md").exists()


def test_export_below_the_import_folder_is_refused(imported, articles_copy, settings):
    settings.GLOSSARY_ARTICLES_PATH = articles_copy

    with pytest.raises(CommandError, match="inside the import folder"):
        export(articles_copy / "out")

    assert not (articles_copy / "out").exists()


def test_export_into_the_import_folder_itself_writes_the_same_files(imported, articles_copy, settings):
    settings.GLOSSARY_ARTICLES_PATH = articles_copy
    before = {path: path.read_bytes() for path in articles_copy.rglob("*.md")}

    export(articles_copy)

    assert {path: path.read_bytes() for path in articles_copy.rglob("*.md")} == before


def test_export_below_a_file_is_refused(imported, tmp_path):
    (tmp_path / "file").write_text("x")

    with pytest.raises(CommandError, match="file: not a folder"):
        export(tmp_path / "file" / "out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_target_without_write_permission_is_an_error(imported, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)

    with pytest.raises(CommandError, match="permission denied"):
        export(locked / "out")


def test_a_write_the_disk_refuses_is_an_error_not_a_traceback(imported, tmp_path, monkeypatch):
    def refuse(self, data):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)

    with pytest.raises(CommandError) as error:
        export(tmp_path)

    assert "The export stopped part way" in str(error.value)
    assert "crowdsourcing/ko.md: cannot be written: Permission denied" in str(error.value)


ODD_FILES = {
    "payroll/en.md": b"# payroll\n\n> Pay the staff.\n\n- Pay: `pay --all`\n",
    "payroll/fr.md": b"---\nlayout: page\n---\n\n# Paie\n\nPayer le personnel.\n",
    "payroll/ko.md": "\ufeff---\r\ntitle: 급여\r\n---\r\n\r\n급여를 지급합니다.\r\n".encode(),
    "tar/en.md": (
        b"---\n# hand-written\nlayout: post  # theme\ntitle: 'tar: archives'\ndate: 2021-03-04\n"
        b'tags: [tools, "gnu"]\nauthor:\n  name: A. N. Other\ndescription: >-\n  Archive\n  files.\n---\n'
        b"tar keeps files together.\n"
    ),
    "tar/nb.md": b"---\ntitle: tar\nkeywords: []\ndescription: ''\n---\nArkiv.",
}


def test_seeds_and_odd_but_valid_files_export_byte_identical(articles_copy, tmp_path, db):
    for relative, data in ODD_FILES.items():
        (articles_copy / relative).parent.mkdir(exist_ok=True)
        (articles_copy / relative).write_bytes(data)
    call_command("import_articles", str(articles_copy), stdout=StringIO())

    export(tmp_path / "out")

    sources = sorted(path.relative_to(articles_copy) for path in articles_copy.rglob("*.md"))
    assert sorted(path.relative_to(tmp_path / "out") for path in (tmp_path / "out").rglob("*.md")) == sources
    for relative in sources:
        assert (tmp_path / "out" / relative).read_bytes() == (articles_copy / relative).read_bytes(), relative
