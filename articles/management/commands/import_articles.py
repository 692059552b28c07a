from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.services import ArticleImportError, import_articles


class Command(BaseCommand):
    help = "Import every article folder (<slug>/<language>.md) below PATH; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.GLOSSARY_ARTICLES_PATH))

    def handle(self, *args, path, **options):
        try:
            report = import_articles(path=Path(path))
        except ArticleImportError as error:
            lines = [error_.text(_) for error_ in error.errors]
            raise CommandError(_("Nothing was imported; fix these files first:") + "\n" + "\n".join(lines)) from None
        for label in report.created:
            self.stdout.write(_("created %(version)s") % {"version": label})
        for label in report.updated:
            self.stdout.write(_("updated %(version)s") % {"version": label})
        for conflict in report.conflicts:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "conflict: %(field)s of %(slug)s/%(language)s was edited since the last import and %(file)s "
                        "changed it too; the edit was kept"
                    )
                    % conflict.__dict__
                )
            )
        for kept in report.kept_edits:
            self.stdout.write(
                _("kept: %(field)s of %(slug)s/%(language)s differs from %(file)s because an editor changed it")
                % kept.__dict__
            )
        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "created": len(report.created),
                        "updated": len(report.updated),
                        "unchanged": len(report.unchanged),
                    }
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("No changes: all %(count)d language versions are up to date.") % {"count": len(report.unchanged)}
                )
            )
