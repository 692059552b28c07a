"""The term admin saves whatever a browser posts back from it, for a term with any number of names."""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from glossary.admin import NAMES_IN_FORM
from glossary.models import Term, TermName

pytestmark = pytest.mark.django_db


class PostedFields(HTMLParser):
    """Collect what a browser submits from the form with the given id: every field at its value in the page."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.select: tuple[str, list[str], list[str]] | None = None  # name, option values, selected values
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value") or "on"))
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self.select = (name, [], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append(attributes.get("value") or "")
            if "selected" in attributes:
                self.select[2].append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, options, selected = self.select
            # Like a browser: the selected option, or the first one when none is marked.
            for value in selected or options[:1]:
                self.fields.append((name, value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # A browser drops the newline right after <textarea>, which Django writes before the value.
            self.fields.append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None


def browser_post_data(client, url: str, form_id: str) -> dict[str, list[str]]:
    """Load `url` and return what the browser would post from it if the editor pressed Save at once."""
    response = client.get(url)
    assert response.status_code == 200
    parser = PostedFields(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert data, f"no form {form_id!r} in {url}"
    return data


def term_change_url(term: Term) -> str:
    return reverse("admin:glossary_term_change", args=[term.pk])


@pytest.fixture
def korean_editor(db):
    call_command("create_editor_groups", stdout=StringIO())
    user = User.objects.create_user("editor-ko", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors (ko)"))
    return user


def test_a_definition_saves_from_the_form_exactly_as_the_browser_posts_it(admin_client, imported):
    term = imported.term
    data = browser_post_data(admin_client, term_change_url(term), "term_form")

    response = admin_client.post(term_change_url(term), {**data, "definition_en": ["Work done by a crowd."]})

    assert response.status_code == 302, response.context["errors"] if response.context else response
    term.refresh_from_db()
    assert term.definition_en == "Work done by a crowd."


def test_a_language_editor_saves_a_definition_from_the_form_as_posted(client, korean_editor, imported):
    client.force_login(korean_editor)
    term = imported.term
    names_before = TermName.objects.count()
    data = browser_post_data(client, term_change_url(term), "term_form")

    response = client.post(term_change_url(term), {**data, "definition_ko": ["군중이 하는 일."]})

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition_ko == "군중이 하는 일."
    assert TermName.objects.count() == names_before


def test_a_row_added_and_left_empty_is_ignored(admin_client, imported):
    term = imported.term
    names_before = TermName.objects.filter(term=term).count()
    data = browser_post_data(admin_client, term_change_url(term), "term_form")
    # What the "add another" link does: a copy of the empty form's fields under the next index.
    index = int(data["names-TOTAL_FORMS"][0])
    for name, values in list(data.items()):
        if name.startswith("names-__prefix__-"):
            data[name.replace("__prefix__", str(index))] = values
    data["names-TOTAL_FORMS"] = [str(index + 1)]

    response = admin_client.post(term_change_url(term), {**data, "definition_fr": ["Travail confié à la foule."]})

    assert response.status_code == 302
    assert TermName.objects.filter(term=term).count() == names_before


def test_a_name_added_in_the_form_is_saved(admin_client, imported):
    term = imported.term
    data = browser_post_data(admin_client, term_change_url(term), "term_form")
    index = int(data["names-TOTAL_FORMS"][0])
    for name, values in list(data.items()):
        if name.startswith("names-__prefix__-"):
            data[name.replace("__prefix__", str(index))] = values
    data.update(
        {
            "names-TOTAL_FORMS": [str(index + 1)],
            f"names-{index}-language": ["fr"],
            f"names-{index}-name": ["production participative"],
        }
    )

    response = admin_client.post(term_change_url(term), data)

    assert response.status_code == 302
    added = TermName.objects.get(term=term, name="production participative")
    assert (added.language, added.origin) == ("fr", "editor")


@pytest.fixture
def term_with_500_names(db):
    term = Term.objects.create(slug="many-names")
    languages = ["ko", "nb", "zh-hans", "en", "fr"]
    names = [TermName(term=term, language=languages[i % 5], name=f"name {i:03}", confirmed=True) for i in range(500)]
    for name in names:
        name.set_index_fields()
    TermName.objects.bulk_create(names)
    return term


def test_a_term_with_500_names_opens_and_saves(admin_client, term_with_500_names):
    term = term_with_500_names
    data = browser_post_data(admin_client, term_change_url(term), "term_form")
    assert int(data["names-TOTAL_FORMS"][0]) == NAMES_IN_FORM

    response = admin_client.post(term_change_url(term), {**data, "definition_en": ["A term of many names."]})

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition_en == "A term of many names."
    assert TermName.objects.filter(term=term).count() == 500


def test_a_term_with_500_names_links_to_all_of_them_in_the_paginated_name_list(admin_client, term_with_500_names):
    term = term_with_500_names
    page = admin_client.get(term_change_url(term)).content.decode()

    link = f"/admin/glossary/termname/?term__id__exact={term.pk}&amp;language__exact=en"
    assert f'<a href="{link}">100 names</a>' in page
    response = admin_client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 100
    everything = admin_client.get(f"/admin/glossary/termname/?term__id__exact={term.pk}")
    assert everything.context["cl"].result_count == 500
    assert len(everything.context["cl"].result_list) == 100  # paginated


def test_the_name_count_columns_are_counted_in_the_database(
    admin_client, term_with_500_names, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:glossary_term_changelist"))

    assert response.status_code == 200
    assert "500" in response.content.decode()


def article_change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_an_article_renamed_three_times_in_the_admin_keeps_its_first_title_once(admin_client, imported):
    first_title = imported.value("title", "en")
    for title in ("Crowd work", "Crowd sourcing", "Crowdsourcing explained"):
        data = browser_post_data(admin_client, article_change_url(imported), "article_form")
        response = admin_client.post(article_change_url(imported), {**data, "title_en": [title]})
        assert response.status_code == 302

    titles = TermName.objects.filter(term=imported.term, language="en", origin="title")
    assert set(titles.values_list("name", "status")) == {
        (first_title, "admitted"),
        ("Crowdsourcing explained", "preferred"),
    }


def test_the_add_a_name_link_opens_the_name_form_for_this_term(client, korean_editor, imported):
    client.force_login(korean_editor)
    term = imported.term
    page = client.get(term_change_url(term)).content.decode()
    add_url = f"/admin/glossary/termname/add/?term={term.pk}"
    assert f'<a href="{add_url}">Add a name</a>' in page

    data = browser_post_data(client, add_url, "termname_form")
    response = client.post(add_url, {**data, "language": ["ko"], "name": ["크라우드 소싱"]})

    assert response.status_code == 302
    added = TermName.objects.get(name="크라우드 소싱")
    assert (added.term, added.language) == (term, "ko")
