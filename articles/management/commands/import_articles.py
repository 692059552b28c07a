from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.services import ArticleImportError, import_articles
from articles.sources import article_folders
from core.static_manifest import static_files_collected


class Command(BaseCommand):
    help = (
        "Import every article folder (<slug>/<language>.md and <slug>/img/) below PATH; all or nothing unless "
        "--skip-invalid. --check only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.GLOSSARY_ARTICLES_PATH))
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check", action="store_true", help="Check every file and report the problems; write nothing."
        )
        mode.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import every valid file and list the others (exit code 1 when any was skipped).",
        )

    def handle(self, *args, path, check, skip_invalid, **options):
        if check:
            return self._check(Path(path))
        static_files_collected()
        try:
            report = import_articles(path=Path(path), skip_invalid=skip_invalid)
        except ArticleImportError as error:
            lines = [error_.text(_) for error_ in error.errors]
            raise CommandError(_("Nothing was imported; fix these files first:") + "\n" + "\n".join(lines)) from None
        for ignored in report.ignored:
            self.stdout.write(self.style.WARNING(ignored.text(_)))
        for label in report.created:
            self.stdout.write(_("created %(version)s") % {"version": label})
        for label in report.updated:
            self.stdout.write(_("updated %(version)s") % {"version": label})
        for slug in report.images_changed:
            self.stdout.write(_("images updated: %(slug)s") % {"slug": slug})
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
        if report.invalid:
            lines = [error.text(_) for error in report.invalid]
            raise CommandError(
                _("Not imported because of problems (%(count)d):") % {"count": len(report.invalid)}
                + "\n"
                + "\n".join(lines),
                returncode=1,
            )

    def _check(self, path: Path) -> None:
        errors, files, images = [], 0, 0
        for part in article_folders(path):  # one article folder in memory at a time
            for ignored in part.ignored:
                self.stdout.write(self.style.WARNING(ignored.text(_)))
            errors.extend(part.errors)
            files, images = files + len(part.files), images + len(part.images)
        if errors:
            lines = [error.text(_) for error in errors]
            raise CommandError(
                _("Problems found (%(count)d); nothing was written:") % {"count": len(errors)} + "\n" + "\n".join(lines)
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Ready to import: %(files)d language versions, %(images)d images; nothing was written.")
                % {"files": files, "images": images}
            )
        )
