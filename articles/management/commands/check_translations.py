import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.models import Article
from articles.services import SOURCE_SUFFIX, article_render
from core.languages import is_language, language_codes
from markup.findings import Severity


class Command(BaseCommand):
    help = "Check every language version of every article; exit 1 when any finding is an error."

    def add_arguments(self, parser):
        parser.add_argument("--lang", action="append", dest="languages", help="a language code; repeatable")
        parser.add_argument("--article", action="append", dest="slugs", help="an article slug; repeatable")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, languages, slugs, format, **options):
        for code in languages or []:
            if not is_language(code):
                raise CommandError(
                    _("unknown language %(code)s; configured: %(codes)s")
                    % {"code": code, "codes": ", ".join(language_codes())}
                )
        articles = Article.objects.select_related("term").order_by("slug")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = set(slugs) - set(articles.values_list("slug", flat=True))
            if missing:
                raise CommandError(_("no article with slug %(slugs)s") % {"slugs": ", ".join(sorted(missing))})
        rows = []
        for article in articles:
            checked = [code for code in languages or language_codes() if article.value("body", code)]
            # Findings are computed afresh (nothing is saved), so the report follows the current checks.
            article_render(article=article, languages=checked)
            for language in checked:
                for finding in article.language_findings(language):
                    rows.append((f"{article.slug}/{language}{SOURCE_SUFFIX}", language, finding))
        self._write(rows, format)
        errors = Counter(finding.severity for *_where, finding in rows)[Severity.ERROR]
        if errors:
            raise CommandError(_("%(count)d error(s) found") % {"count": errors}, returncode=1)

    def _write(self, rows, format):
        if format == "json":
            data = [
                {"file": file, "language": language, **finding.to_dict(), "text": finding.text(_)}
                for file, language, finding in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for file, _language, finding in rows:
            self.stdout.write(
                f"{file}:{finding.line}:{finding.column}: {finding.severity} [{finding.code}] {finding.text(_)}"
            )
        counts = Counter(finding.severity for *_where, finding in rows)
        self.stdout.write(
            _("%(error)d errors, %(warning)d warnings, %(info)d notes")
            % {"error": counts[Severity.ERROR], "warning": counts[Severity.WARNING], "info": counts[Severity.INFO]}
        )
