from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from glossary.languages import language_codes

EDITOR_PERMISSIONS = (
    "view_article",
    "change_article",
    "view_term",
    "change_term",
    "add_termname",
    "change_termname",
    "view_termname",
)


def editor_group_name(code: str) -> str:
    return f"Editors ({code})"


class Command(BaseCommand):
    help = "Create one editor group per configured language: it may change that language's fields and nothing else."

    def handle(self, *args, **options):
        shared = list(Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))
        for code in language_codes():
            group, created = Group.objects.get_or_create(name=editor_group_name(code))
            group.permissions.set([*shared, Permission.objects.get(codename=f"edit_{code}")])
            self.stdout.write((_("created %(group)s") if created else _("updated %(group)s")) % {"group": group.name})
