import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run_check(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("check_translations", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def test_seed_articles_have_errors_and_the_command_fails(imported):
    output, status = run_check()

    assert status == 1
    assert "crowdsourcing/ko.md:38:" in output
    assert "error" in output


def test_findings_name_file_line_and_code(imported):
    output, _status = run_check("--lang", "zh-hans")

    lines = [line for line in output.splitlines() if line.startswith("crowdsourcing/zh-hans.md:")]
    assert lines
    assert all(line.split(":")[1].isdigit() for line in lines)
    assert not any(line.startswith("crowdsourcing/ko.md") for line in output.splitlines())


def test_json_format_lists_every_finding_with_its_location(imported):
    output, _status = run_check("--format", "json", "--lang", "fr")

    findings = json.loads(output)
    assert findings
    assert {"file", "language", "code", "severity", "line", "column", "message", "text"} <= findings[0].keys()
    assert {finding["language"] for finding in findings} == {"fr"}


def test_an_article_without_errors_passes(make_article):
    make_article("clean", {"en": ("Clean", "## Heading\n\nA clean paragraph.\n")})

    output, status = run_check("--article", "clean")

    assert status == 0
    assert "0 errors" in output


def test_unknown_language_is_refused(imported):
    with pytest.raises(CommandError, match="unknown language xx"):
        call_command("check_translations", "--lang", "xx", stdout=StringIO())


def test_unknown_article_is_refused(imported):
    with pytest.raises(CommandError, match="no article with slug nothing"):
        call_command("check_translations", "--article", "nothing", stdout=StringIO())


def test_checking_changes_nothing_in_the_database(imported):
    from articles.models import Article

    before = list(Article.objects.values())

    run_check()

    assert list(Article.objects.values()) == before
