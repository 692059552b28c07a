import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_edits_korean_with_preview_saves_sees_it_and_reverts(
    live_server, seeded, page, editor_login, screenshot
):
    editor_login(page)
    article = Article.objects.get(slug="crowdsourcing")
    original = article.value("body", "ko")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/#language-ko")

    body = page.locator("#id_body_ko")
    body.fill(original.replace("## 결론", "## 요약 정리"))
    preview = page.locator("fieldset.language-ko .live-preview")
    preview.locator("h2", has_text="요약 정리").wait_for()
    screenshot(page, "admin-ko-preview")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/ko/articles/crowdsourcing/")
    assert page.get_by_role("heading", name="요약 정리").is_visible()

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    page.locator("#change-history a").last.click()
    page.locator("input[type=submit]").first.click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.value("body", "ko") == original
    assert page.console_errors == []


def test_two_editors_conflict_and_nothing_is_lost(live_server, seeded, two_editors):
    article = Article.objects.get(slug="crowdsourcing")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/#language-fr"
    first, second = two_editors(url)

    first.fill("#id_title_fr", "Titre du premier")
    first.locator("input[name=_continue]").click()
    first.wait_for_load_state()
    second.fill("#id_title_fr", "Titre du second")
    second.locator("input[name=_continue]").click()
    second.wait_for_load_state()

    assert "Someone else saved a different text here" in second.content()
    assert second.input_value("#id_title_fr") == "Titre du second"
    article.refresh_from_db()
    assert article.value("title", "fr") == "Titre du premier"


def change_page(live_server, article, language: str) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/#language-{language}"


def test_a_fix_goes_into_the_form_keeping_unsaved_edits_in_every_tab_and_the_save_keeps_all(
    live_server, seeded, page, editor_login
):
    editor_login(page)
    article = Article.objects.get(slug="crowdsourcing")
    page.goto(change_page(live_server, article, "ko"))
    korean = page.locator("#id_body_ko")
    korean.fill(korean.input_value() + "\n저장하지 않은 문단.\n")
    page.locator("#tab-fr").click()
    page.fill("#id_title_fr", "Crowdsourcing (brouillon)")
    page.locator("fieldset.language-fr button.apply-fix[data-fix^='meta.entity:']").click()

    page.locator("fieldset.language-fr .fix-note.fix-applied").wait_for()
    assert "d'un grand groupe" in page.input_value("#id_description_fr")
    assert page.input_value("#id_title_fr") == "Crowdsourcing (brouillon)"
    assert page.input_value("#id_body_ko").endswith("저장하지 않은 문단.\n")
    # The test's own reads share the in-memory test database with the server's thread: wait until the page's live
    # previews are answered, or SQLite refuses one of them while the test reads (a 503 in the browser's console).
    page.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.version == 1  # nothing stored until the editor saves
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("networkidle")

    article.refresh_from_db()
    assert "d'un grand groupe" in article.value("description", "fr")
    assert article.value("title", "fr") == "Crowdsourcing (brouillon)"
    assert article.value("body", "ko").endswith("저장하지 않은 문단.\n")
    assert page.console_errors == []


@pytest.fixture
def two_editors(browser, editor_login):
    """Open a page in two browser contexts, logged in as one editor; close them before the database is emptied.

    An open change page keeps posting to the live preview, and SQLite's in-memory test database refuses to be
    flushed while a request holds a table.
    """
    contexts = []

    def open_twice(url):
        contexts.extend([browser.new_context(), browser.new_context()])
        first, second = contexts[-2].new_page(), contexts[-1].new_page()
        editor_login(first)
        second.context.add_cookies(first.context.cookies())
        first.goto(url)
        second.goto(url)
        return first, second

    yield open_twice
    for context in contexts:
        context.close()


def edit_body(page, old: str, new: str) -> None:
    body = page.locator("#id_body_fr")
    body.fill(body.input_value().replace(old, new))


def test_two_editors_of_different_paragraphs_of_one_body_both_keep_their_change(live_server, seeded, two_editors):
    article = Article.objects.get(slug="crowdsourcing")
    first, second = two_editors(change_page(live_server, article, "fr"))

    edit_body(first, "## Comprendre le crowdsourcing", "## Le crowdsourcing expliqué")
    first.locator("input[name=_continue]").click()
    first.wait_for_load_state()
    edit_body(second, "## Crowdsourcing vs Crowdfunding", "## Crowdsourcing ou crowdfunding")
    second.locator("input[name=_continue]").click()
    second.wait_for_load_state()

    assert "changed the same passages" not in second.content()
    article.refresh_from_db()
    body = article.value("body", "fr")
    assert "## Le crowdsourcing expliqué" in body and "## Crowdsourcing ou crowdfunding" in body


def test_two_editors_of_one_paragraph_choose_per_block_on_the_conflict_screen(live_server, seeded, two_editors):
    article = Article.objects.get(slug="crowdsourcing")
    first, second = two_editors(change_page(live_server, article, "fr"))

    edit_body(first, "## Comprendre le crowdsourcing", "## Saisir le crowdsourcing")
    first.locator("input[name=_continue]").click()
    first.wait_for_load_state()
    edit_body(second, "## Comprendre le crowdsourcing", "## Cerner le crowdsourcing")
    edit_body(second, "## Crowdsourcing vs Crowdfunding", "## Crowdsourcing ou crowdfunding")
    second.locator("input[name=_continue]").click()
    second.wait_for_load_state()

    conflict = second.locator("table.merge-conflicts")
    assert conflict.locator("tr.merge-conflict td").nth(0).inner_text() == "## Cerner le crowdsourcing"
    assert conflict.locator("tr.merge-conflict td").nth(1).inner_text() == "## Saisir le crowdsourcing"
    conflict.get_by_label("Keep theirs").check()
    second.locator("input[name=_continue]").click()
    second.wait_for_load_state()

    article.refresh_from_db()
    body = article.value("body", "fr")
    assert "## Saisir le crowdsourcing" in body and "## Crowdsourcing ou crowdfunding" in body
    assert "## Cerner" not in body


def test_a_language_the_editor_cannot_write_is_a_read_only_tab_without_fix_controls(
    live_server, seeded, page, django_user_model
):
    from io import StringIO

    from django.core.management import call_command

    call_command("create_editor", "minji", languages="ko", stdout=StringIO())
    user = django_user_model.objects.get(username="minji")
    user.set_password("pw-for-tests")
    user.save()
    article = Article.objects.get(slug="crowdsourcing")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "minji")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(change_page(live_server, article, "fr"))

    tabs = page.locator(".language-tabs button")
    assert tabs.first.get_attribute("id") == "tab-en"  # the source first
    assert "read-only" in page.locator("#tab-fr").get_attribute("class")
    assert "read-only" not in (page.locator("#tab-ko").get_attribute("class") or "")
    french = page.locator("fieldset.language-fr")
    assert french.locator(".findings li").count() > 0
    assert french.locator("button.apply-fix").count() == 0
    assert page.console_errors == []


def test_leaving_a_page_with_unsaved_edits_asks_first_but_saving_does_not(live_server, seeded, page, editor_login):
    editor_login(page)
    article = Article.objects.get(slug="crowdsourcing")
    page.goto(change_page(live_server, article, "fr"))
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#tab-fr").click()
    page.locator("#id_title_fr").click()
    page.keyboard.type(" !")

    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert not page.is_closed()  # the editor chose to stay

    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert asked == ["beforeunload"]
    article.refresh_from_db()
    assert article.value("title", "fr") == "Crowdsourcing !"
