import os

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from articles.permissions import editor_group_name, editor_groups_ensure
from core.languages import language_codes


class Command(BaseCommand):
    help = (
        "Make a staff user who edits the given languages (in their editor groups); the password comes from a variable."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--languages", required=True, help="comma-separated language codes, e.g. ko,fr")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="the environment variable holding the password (without it the user cannot log in until one is set)",
        )
        parser.add_argument("--update", action="store_true", help="change an existing user's languages")

    def handle(self, *args, username, languages, email, password_from_env, update, **options):
        wanted = [code.strip() for code in languages.split(",") if code.strip()]
        unknown = [code for code in wanted if code not in language_codes()]
        if unknown or not wanted:
            raise CommandError(
                _("Unknown language(s): %(unknown)s. Languages of this site: %(known)s. Nothing was changed.")
                % {"unknown": ", ".join(unknown) or "–", "known": ", ".join(language_codes())}
            )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                message = _("Not an e-mail address: %(email)s. Nothing was changed.") % {"email": email}
                raise CommandError(message) from None
        password = None
        if password_from_env:
            password = os.environ.get(password_from_env)
            if not password:
                raise CommandError(
                    _("The environment variable %(name)s is not set or empty. Nothing was changed.")
                    % {"name": password_from_env}
                )
        existing = User.objects.filter(username=username).first()
        if existing is not None and not update:
            raise CommandError(
                _("The user %(username)s exists already; add --update to change their languages. Nothing was changed.")
                % {"username": username}
            )
        with transaction.atomic():
            editor_groups_ensure()
            user = existing or User(username=username)
            user.is_staff = True
            if email:
                user.email = email
            if password is not None:
                user.set_password(password)
            elif existing is None:
                user.set_unusable_password()
            user.save()
            editor_groups = Group.objects.filter(name__in=[editor_group_name(code) for code in language_codes()])
            user.groups.remove(*editor_groups)
            user.groups.add(*Group.objects.filter(name__in=[editor_group_name(code) for code in wanted]))
        message = (
            _("updated %(username)s: edits %(languages)s")
            if existing
            else _("created %(username)s: edits %(languages)s")
        )
        self.stdout.write(message % {"username": username, "languages": ", ".join(wanted)})
