import gc
import os
import socket
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.import_ahead import FilesReadAhead
from articles.models import Article, ArticleLink, ArticleVersion
from core.languages import language_codes
from glossary.models import Term, TermName
from markup import parse as parse_module
from markup import render as render_module
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def run_import(path) -> str:
    out = StringIO()
    call_command("import_articles", str(path), stdout=out)
    return out.getvalue()


def snapshot() -> list[dict]:
    """Every column of every row the import writes, to prove a run changed nothing."""
    return [
        *Article.objects.order_by("pk").values(),
        *Term.objects.order_by("pk").values(),
        *TermName.objects.order_by("pk").values(),
        *ArticleLink.objects.order_by("pk").values(),
    ]


def test_import_creates_one_article_with_every_language(seed_path, languages):
    output = run_import(seed_path)

    article = Article.objects.get(slug="crowdsourcing")
    assert article.available_languages() == languages
    assert article.value("title", "ko") == "크라우드소싱"
    assert article.value("title", "zh-hans") == "众包"
    assert "created crowdsourcing/ko" in output


def test_import_keeps_front_matter_and_body_verbatim(seed_path, languages):
    run_import(seed_path)

    article = Article.objects.get(slug="crowdsourcing")
    for language in languages:
        text = (seed_path / "crowdsourcing" / f"{language}.md").read_text(encoding="utf-8")
        assert article.value("imported_source", language) == text
        assert text.endswith(article.value("body", language))
    assert "d&#39;un" in article.value("description", "fr")


def test_import_stores_rendered_html_and_findings_per_language(seed_path, languages):
    run_import(seed_path)

    article = Article.objects.get(slug="crowdsourcing")
    for language in languages:
        assert "<h2" in article.value("body_html", language)
        assert article.value("toc", language)
    for language in ("ko", "nb", "zh-hans", "fr"):
        codes = {finding.code for finding in article.language_findings(language)}
        assert codes, language


def test_import_creates_a_term_for_every_link_target(seed_path):
    run_import(seed_path)

    slugs = set(Term.objects.values_list("slug", flat=True))
    assert {"social-media", "in-house", "crowdfunding", "repayment", "freelancer", "consultant"} <= slugs
    assert "crowdsourcing" in slugs


def test_link_text_becomes_an_unconfirmed_name_in_its_language(seed_path):
    run_import(seed_path)

    name = TermName.objects.get(term__slug="social-media", language="fr")
    assert name.name == "réseaux sociaux"  # "les" taken off (markup.headwords)
    assert not name.confirmed
    assert name.origin == TermName.Origin.LINK_TEXT


def test_article_title_becomes_the_confirmed_name_of_its_term(seed_path):
    run_import(seed_path)

    name = TermName.objects.get(term__slug="crowdsourcing", language="ko")
    assert (name.name, name.confirmed, name.origin) == ("크라우드소싱", True, TermName.Origin.TITLE)


def test_link_mentions_are_recorded_per_language(seed_path, languages):
    run_import(seed_path)

    linked = set(ArticleLink.objects.filter(language="en").values_list("term__slug", flat=True))
    assert linked == {"social-media", "consultant", "in-house", "crowdfunding", "repayment"}
    assert ArticleLink.objects.filter(term__slug="freelancer", language="en").count() == 0


def test_second_import_changes_nothing_and_says_so(seed_path):
    run_import(seed_path)
    before = snapshot()

    output = run_import(seed_path)

    assert snapshot() == before
    assert "No changes" in output


def test_reimport_updates_fields_nobody_edited(articles_copy):
    run_import(articles_copy)
    source = articles_copy / "crowdsourcing" / "nb.md"
    source.write_text(source.read_text().replace("crowddsourcing", "crowdsourcing"), encoding="utf-8")

    output = run_import(articles_copy)

    article = Article.objects.get(slug="crowdsourcing")
    assert "crowddsourcing" not in article.value("body", "nb")
    assert "crowddsourcing" not in article.value("body_html", "nb")
    assert "updated crowdsourcing/nb" in output


def test_reimport_keeps_an_editors_change_and_reports_the_conflict(articles_copy):
    run_import(articles_copy)
    article = Article.objects.get(slug="crowdsourcing")
    article.set_value("title", "ko", "크라우드소싱 (편집됨)")
    article.save()
    source = articles_copy / "crowdsourcing" / "ko.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("title: 크라우드소싱", "title: 크라우드 소싱").replace("결론", "요약"), encoding="utf-8"
    )

    output = run_import(articles_copy)

    article.refresh_from_db()
    assert article.value("title", "ko") == "크라우드소싱 (편집됨)"
    assert "요약" in article.value("body", "ko")
    assert "conflict: title of crowdsourcing/ko" in output


def test_reimport_of_an_unchanged_file_keeps_the_edit_and_mentions_it(seed_path):
    run_import(seed_path)
    article = Article.objects.get(slug="crowdsourcing")
    article.set_value("description", "fr", "Une description corrigée d'un éditeur.")
    article.save()

    output = run_import(seed_path)

    article.refresh_from_db()
    assert article.value("description", "fr") == "Une description corrigée d'un éditeur."
    assert "kept: description of crowdsourcing/fr" in output
    assert "No changes" in output


def write(path, content: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


TITLE = "---\ntitle: X\n---\n"
BAD_INPUTS = {
    "invalid YAML": (
        "broken/en.md",
        "---\ntitle: Broken\ndescription: [unclosed\n---\nBody\n",
        "en.md:3: invalid YAML",
    ),
    "missing title": ("untitled/en.md", "---\ndescription: No title here\n---\nBody\n", "en.md:2: no title"),
    "not UTF-8": ("latin/fr.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"), "fr.md:2: not valid UTF-8"),
    "empty file": ("empty/en.md", "", "en.md: the file is empty"),
    "binary file": ("binary/en.md", TITLE + "A\x00B\n", "en.md:4: the file contains a NUL byte"),
    "no front matter and no heading": ("plain/en.md", "Just text\n", "en.md:1: no title"),
    "YAML alias": ("alias/en.md", "---\ntitle: &t X\ndescription: *t\n---\n", "en.md:2: YAML anchors and aliases"),
    "duplicate key": ("twice/en.md", "---\ntitle: X\ntitle: Y\n---\n", "en.md:3: the key title appears twice"),
    "body too long": ("long/en.md", TITLE + "x" * 200_001, "en.md:4: the text is 200001 characters long"),
    "title too long": ("long/en.md", f"---\nkeywords: k\ntitle: {'t' * 301}\n---\n", "en.md:3: the title is 301"),
    "slug too long": (f"{'s' * 201}/en.md", TITLE, "a slug has at most 200"),
    "folder name not a slug": ("Not A Slug/en.md", TITLE, "not a valid slug"),
    "other file in an article folder": ("crowdsourcing/notes.txt", "x", "notes.txt: not an article file"),
    "image of a type not allowed": ("crowdsourcing/img/x.png", "<svg onload=alert(1)>", "x.png: not an image"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_the_file_and_changes_nothing(articles_copy, case):
    run_import(articles_copy)
    before = snapshot()
    relative, content, expected = BAD_INPUTS[case]
    write(articles_copy / relative, content)
    (articles_copy / "crowdsourcing" / "en.md").write_text(
        (articles_copy / "crowdsourcing" / "en.md").read_text().replace("Crowdsourcing", "Changed"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        run_import(articles_copy)

    assert f"{articles_copy / relative}".removesuffix(".md").removesuffix("/en") in str(error.value)
    assert expected in str(error.value)
    assert "Traceback" not in str(error.value)
    assert snapshot() == before


def special_file(kind: str, path):
    """Make a link leading out of the import folder, a named pipe, a device or a socket at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link out":
        outside = path.parents[2] / "outside.md"
        outside.write_text(TITLE, encoding="utf-8")
        path.symlink_to(outside)
    elif kind == "folder link out":
        (path.parents[2] / "outside").mkdir()
        (path.parents[2] / "outside" / "en.md").write_text(TITLE, encoding="utf-8")
        path.parent.rmdir()
        path.parent.symlink_to(path.parents[2] / "outside")
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("making a device file needs CAP_MKNOD")
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("link out", "a link to outside the import folder"),
        ("folder link out", "a link to outside the import folder"),
        ("FIFO", "not a regular file"),
        ("socket", "not a regular file"),
        ("device", "not a regular file"),
    ],
)
def test_anything_but_a_regular_file_inside_the_folder_is_refused(articles_copy, kind, expected):
    run_import(articles_copy)
    before = snapshot()
    special_file(kind, articles_copy / "special" / "en.md")

    with pytest.raises(CommandError) as error:
        run_import(articles_copy)

    assert "special" in str(error.value)
    assert expected in str(error.value)
    assert snapshot() == before


def test_a_link_inside_the_folder_is_read(articles_copy):
    (articles_copy / "payroll").mkdir()
    (articles_copy / "payroll" / "en.md").symlink_to(articles_copy / "crowdsourcing" / "en.md")

    run_import(articles_copy)

    assert Article.objects.get(slug="payroll").value("title", "en") == "Crowdsourcing"


def test_a_language_the_site_does_not_serve_is_skipped_with_a_notice(articles_copy):
    write(articles_copy / "crowdsourcing" / "de.md", "---\ntitle: Schwarmauslagerung\n---\nText\n")

    output = run_import(articles_copy)

    assert "crowdsourcing/de.md: skipped: not a language this site serves" in output
    assert Article.objects.get(slug="crowdsourcing").available_languages() == language_codes()


def test_check_reports_every_problem_and_writes_nothing(articles_copy):
    write(articles_copy / "one" / "en.md", "")
    write(articles_copy / "two" / "en.md", "---\ntitle: X\ntitle: Y\n---\n")

    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(articles_copy), "--check", stdout=StringIO())

    assert "one/en.md: the file is empty" in str(error.value)
    assert "two/en.md:3: the key title appears twice" in str(error.value)
    assert snapshot() == []


def test_check_of_a_valid_folder_says_so_and_writes_nothing(seed_path):
    out = StringIO()

    call_command("import_articles", str(seed_path), "--check", stdout=out)

    assert "Ready to import: 5 language versions, 0 images" in out.getvalue()
    assert snapshot() == []


def test_skip_invalid_imports_the_valid_files_lists_the_others_and_exits_1(articles_copy):
    write(articles_copy / "broken" / "en.md", "---\ntitle: [unclosed\n---\n")
    write(articles_copy / "payroll" / "en.md", "---\ntitle: Payroll\n---\nPay staff.\n")
    write(articles_copy / "payroll" / "fr.md", "---\ntitle: Paie\ndescription: &d x\n---\n")
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(articles_copy), "--skip-invalid", stdout=out)

    assert error.value.returncode == 1
    assert "broken/en.md:2: invalid YAML" in str(error.value)
    assert "payroll/fr.md:3: YAML anchors" in str(error.value)
    assert "created payroll/en" in out.getvalue()
    assert set(Article.objects.values_list("slug", flat=True)) == {"crowdsourcing", "payroll"}
    assert Article.objects.get(slug="payroll").available_languages() == ["en"]


def test_skip_invalid_without_problems_exits_normally(seed_path):
    out = StringIO()

    call_command("import_articles", str(seed_path), "--skip-invalid", stdout=out)

    assert "Imported: 5 created" in out.getvalue()


def test_bad_input_on_an_empty_database_creates_nothing(articles_copy):
    write(articles_copy / "broken" / "en.md", "---\ntitle: [\n---\n")

    with pytest.raises(CommandError):
        run_import(articles_copy)

    assert not Article.objects.exists()
    assert not Term.objects.exists()


def test_every_bad_file_is_reported_at_once(articles_copy):
    write(articles_copy / "one" / "en.md", "")
    write(articles_copy / "two" / "en.txt", "---\ntitle: X\n---\n")

    with pytest.raises(CommandError) as error:
        run_import(articles_copy)

    assert "one/en.md" in str(error.value)
    assert "two/en.txt" in str(error.value)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run_import(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "front",
    ["---\ntitle: Payroll\n---\n", "---\nkeywords: k\ntitle: Payroll\ndescription: Pay staff.\n---\n", ""],
    ids=["no keywords or description", "every key", "no front matter"],
)
def test_findings_point_at_the_line_of_the_file_as_imported(articles_copy, front):
    text = front + "# Payroll\n\nPay staff.\n\n##Pay day\n"
    write(articles_copy / "payroll" / "en.md", text)

    run_import(articles_copy)

    findings = {f.code: f for f in Article.objects.get(slug="payroll").language_findings("en")}
    assert findings["markup.heading-no-space"].line == text.splitlines().index("##Pay day") + 1


def test_a_file_without_title_takes_its_heading_with_an_info_finding(articles_copy):
    write(articles_copy / "tar" / "en.md", "\ufeff# tar\r\n\r\nArchive files.\r\n")

    run_import(articles_copy)

    article = Article.objects.get(slug="tar")
    assert article.value("title", "en") == "tar"
    [finding] = [f for f in article.language_findings("en") if f.code == "meta.title-from-heading"]
    assert (finding.severity, finding.line, finding.column) == ("info", 1, 3)


def test_a_file_beside_the_article_folders_is_skipped_with_a_notice(articles_copy):
    write(articles_copy / "README.md", "# Our articles\n")

    output = run_import(articles_copy)

    assert "README.md: skipped: not an article folder" in output
    assert Article.objects.filter(slug="crowdsourcing").exists()


def test_a_file_that_turns_bad_during_the_import_is_reported_and_the_others_are_written(articles_copy, monkeypatch):
    write(articles_copy / "payroll" / "en.md", "---\ntitle: Payroll\n---\nPay staff.\n")
    import_article = services._import_article

    def edit_payroll_meanwhile(slug, *args, **kwargs):
        # The folder is checked whole before the first write and read again article by article as it is written.
        import_article(slug, *args, **kwargs)
        write(articles_copy / "payroll" / "en.md", "---\ntitle: [unclosed\n---\n")

    monkeypatch.setattr(services, "_import_article", edit_payroll_meanwhile)

    with pytest.raises(CommandError) as error:
        run_import(articles_copy)

    assert error.value.returncode == 1
    assert "payroll/en.md:2: invalid YAML" in str(error.value)
    assert list(Article.objects.values_list("slug", flat=True)) == ["crowdsourcing"]


def test_the_folder_is_read_one_article_at_a_time(articles_copy, monkeypatch):
    for slug in ("payroll", "ledger"):
        write(articles_copy / slug / "en.md", f"---\ntitle: {slug}\n---\nText.\n")
    held = []
    import_article = services._import_article

    def count_articles_in_memory(slug, sources, *args, **kwargs):
        held.append({source.slug for source in sources})
        import_article(slug, sources, *args, **kwargs)

    monkeypatch.setattr(services, "_import_article", count_articles_in_memory)

    run_import(articles_copy)

    assert held == [{"crowdsourcing"}, {"ledger"}, {"payroll"}]


def test_full_collections_leave_out_what_the_process_held_before_the_import_and_only_while_it_writes(
    seed_path, monkeypatch
):
    monkeypatch.setattr(services, "FREEZE_MIN_ARTICLES", 1)
    frozen = []
    import_article = services._import_article
    monkeypatch.setattr(
        services,
        "_import_article",
        lambda *args, **kwargs: frozen.append(gc.get_freeze_count()) or import_article(*args, **kwargs),
    )

    services.import_articles(path=seed_path)

    assert frozen and all(count > 0 for count in frozen)
    assert gc.get_freeze_count() == 0


def generated_articles(folder, slugs):
    """Copies of the seed article under other slugs, each body different (its number in the first heading)."""
    for number, slug in enumerate(slugs):
        for source in (FIXTURES / "crowdsourcing").glob("*.md"):
            text = source.read_text("utf-8").replace("\n# ", f"\n# {number} ", 1)
            write(folder / slug / source.name, text)


# What importing one new article in every language costs, whatever the database holds already (issue 15); 29
# before a created article's version rows, stale links and images went unread, its revision took no savepoint and
# its first insert no save() (whose signal had django-reversion serialise the empty article); 24 before a body
# showing no image read none of the article's images.
QUERIES_PER_NEW_ARTICLE = 23


def test_importing_an_article_costs_the_same_queries_however_many_link_to_the_same_terms(tmp_path):
    def import_counted(*slugs):
        generated_articles(tmp_path / slugs[0], slugs)
        with CaptureQueriesContext(connection) as queries:
            services.import_articles(path=tmp_path / slugs[0])
        return len(queries)

    import_counted("first")  # creates the terms its links lead to
    second = import_counted("second")
    import_counted("third", "fourth", "fifth", "sixth")

    # On SQLite an import ends by merging what it left in pieces in each of its three search indexes: once an import.
    merges = 3 if connection.vendor == "sqlite" else 0
    assert second == import_counted("seventh") == QUERIES_PER_NEW_ARTICLE + merges


def derived_rows() -> list[tuple]:
    """What the write service derived for every language version, term ids in usages named by slug."""
    slugs = dict(Term.objects.values_list("pk", "slug"))
    rows = []
    for version in ArticleVersion.objects.select_related("article").order_by("article__slug", "language"):
        usages = [{**usage, "term": slugs[usage["term"]]} for usage in version.usages]
        fields = {f.attname: getattr(version, f.attname) for f in ArticleVersion._meta.concrete_fields}
        for name in ("id", "article_id", "updated", "usages"):
            del fields[name]
        rows.append((version.article.slug, usages, fields))
    return rows


def test_a_second_process_parsing_checking_and_rendering_ahead_stores_what_one_process_stores(tmp_path, monkeypatch):
    slugs = ["alpha", "beta", "gamma", "delta", "epsilon"]
    generated_articles(tmp_path, slugs)
    services.import_articles(path=tmp_path, read_ahead=False)
    alone = derived_rows()
    Article.objects.all().delete()
    Term.objects.all().delete()
    parses_here, renders_here = [], []
    parse_fresh = parse_module._parse_fresh
    monkeypatch.setattr(parse_module, "_parse_fresh", lambda *args: parses_here.append(args) or parse_fresh(*args))
    sanitize = render_module.sanitize_html
    monkeypatch.setattr(render_module, "sanitize_html", lambda html: renders_here.append(html) or sanitize(html))
    unused = []
    made_from = render_module.RenderedAhead.made_from
    monkeypatch.setattr(
        render_module.RenderedAhead, "made_from", lambda *a, **k: made_from(*a, **k) or unused.append(1) or False
    )
    parse_module.parse_cache_clear()
    monkeypatch.setattr(FilesReadAhead, "wait", True)  # a save never waits for it; here, to know who did the work

    report = services.import_articles(path=tmp_path, read_ahead=True)

    assert len(report.created) == 25
    assert derived_rows() == alone
    assert any(fields["findings"] for _slug, _usages, fields in alone)
    # Every body was parsed, and checked, in the second process; of a body it rendered it sent the blocks alone, so
    # the save parses again only such a body whose render it cannot use: here the 5 of the article read with the
    # first save's resolutions (below).
    assert len(parses_here) == len(unused) == 5
    # It renders the articles it reads once a save has noted how their links resolve, where they still resolve so:
    # not the three it starts with, nor the one read with the first save's resolutions (its links had no usage
    # sentence to show yet); the last one, 5 languages, is rendered there.
    assert len(renders_here) == 4 * 5


@pytest.mark.parametrize("command", [("import_articles", str(FIXTURES)), ("render_pages",), ("render_stored_pages",)])
def test_commands_that_store_pages_say_to_collect_static_files_first_and_write_nothing(db, settings, tmp_path, command):
    from core.models import ContentGeneration

    generations = list(ContentGeneration.objects.values_list("value", "topics"))
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"  # nothing collected there
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    with pytest.raises(CommandError, match=r"Static files are not collected: .*staticfiles\.json is missing"):
        call_command(*command, stdout=StringIO())

    assert not Article.objects.exists()
    assert list(ContentGeneration.objects.values_list("value", "topics")) == generations


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_on_postgresql_an_imports_repeated_statements_are_prepared_and_django_binds_on_the_client_after(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("statements are bound on the server and prepared on PostgreSQL")
    generated_articles(tmp_path, ["one", "two", "three"])

    services.import_articles(path=tmp_path, read_ahead=False)
    for _ in range(3):
        assert Article.objects.filter(slug="three", term__slug__gt="").exists()

    prepared = _prepared_statements()
    assert any('FROM "articles_article" WHERE "articles_article"."slug" = $1' in text for text in prepared)
    assert not any('"glossary_term"."slug" >' in text for text in prepared)
