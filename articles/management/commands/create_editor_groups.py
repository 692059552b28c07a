from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.permissions import editor_groups_ensure


class Command(BaseCommand):
    help = "Create one editor group per configured language: it may change that language's fields and nothing else."

    def handle(self, *args, **options):
        for group, created in editor_groups_ensure():
            self.stdout.write((_("created %(group)s") if created else _("updated %(group)s")) % {"group": group.name})
