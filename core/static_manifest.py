"""With debug off, pages name static files by their hashed names, which collectstatic writes in its manifest."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def static_files_collected() -> None:
    """Raise CommandError naming the fix when pages would be rendered before collectstatic wrote its manifest.

    The commands that store pages (the import, render_pages, render_stored_pages) call it before writing anything:
    the first page they rendered stopped them with Django's "Missing staticfiles manifest entry" traceback.
    """
    if not isinstance(staticfiles_storage, ManifestFilesMixin) or not staticfiles_storage.manifest_strict:
        return
    if not staticfiles_storage.manifest_storage.exists(staticfiles_storage.manifest_name):
        raise CommandError(
            _(
                "Static files are not collected: %(manifest)s is missing, and pages name static files by the names "
                "it gives them. Run `manage.py collectstatic` first; nothing was written."
            )
            % {"manifest": staticfiles_storage.manifest_storage.path(staticfiles_storage.manifest_name)}
        )
