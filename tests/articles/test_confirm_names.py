"""The confirm names screen: unconfirmed names of the editor's languages, cleaned names offered, decided in one POST."""

from django.urls import reverse

from glossary.models import Term, TermName

URL = "/admin/articles/article/confirm-names/"


def harvested(term_slug: str, language: str, name: str) -> TermName:
    term, _created = Term.objects.get_or_create(slug=term_slug)
    return TermName.objects.create(term=term, language=language, name=name, origin=TermName.Origin.LINK_TEXT)


def test_the_page_lists_the_editors_languages_with_the_cleaned_name_and_a_usage(client, imported, make_editor):
    raw = harvested("social-media", "ko", "소셜 미디어를")
    french = harvested("social-media", "fr", "les médias sociaux")
    client.force_login(make_editor("ko"))

    page = client.get(reverse("admin:articles_article_confirm_names")).content.decode()

    assert f'name="name_{raw.pk}" value="소셜 미디어"' in page
    assert f"name_{french.pk}" not in page
    assert '<td lang="ko">' in page and "소셜 미디어" in page


def test_one_post_confirms_renames_and_rejects(client, imported, make_editor):
    keep = harvested("ledger", "fr", "registre")
    rename = harvested("ledger", "fr", "le grand livre")
    reject = harvested("ledger", "fr", "voir ici")
    later = harvested("ledger", "fr", "livre")
    client.force_login(make_editor("fr"))

    client.post(
        URL,
        {
            f"action_{keep.pk}": "rename",
            f"name_{keep.pk}": "registre",
            f"action_{rename.pk}": "rename",
            f"name_{rename.pk}": "grand livre",
            f"action_{reject.pk}": "reject",
            f"action_{later.pk}": "skip",
        },
    )

    names = {name.name: name.confirmed for name in TermName.objects.filter(term__slug="ledger", language="fr")}
    assert names == {"registre": True, "grand livre": True, "livre": False}


def test_renaming_to_a_name_the_term_has_keeps_one(client, imported, make_editor):
    existing = harvested("ledger", "fr", "registre")
    duplicate = harvested("ledger", "fr", "le registre")
    client.force_login(make_editor("fr"))

    client.post(URL, {f"action_{duplicate.pk}": "rename", f"name_{duplicate.pk}": "registre"})

    assert list(TermName.objects.filter(term__slug="ledger", language="fr").values_list("pk", "confirmed")) == [
        (existing.pk, True)
    ]


def test_names_of_other_languages_are_left_alone(client, imported, make_editor):
    korean = harvested("ledger", "ko", "원장을")
    client.force_login(make_editor("fr"))

    client.post(URL, {f"action_{korean.pk}": "reject"})

    assert TermName.objects.filter(pk=korean.pk, confirmed=False).exists()


def test_without_a_language_the_page_is_refused(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))

    assert client.get(URL).status_code == 403


def test_the_article_list_links_to_this_screen_and_to_coverage(client, imported, superuser):
    client.force_login(superuser)

    page = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert f'href="{URL}"' in page
    assert f'href="{reverse("admin:articles_article_coverage")}"' in page
    assert "Recover deleted articles" in page  # django-reversion's own tool is still there
