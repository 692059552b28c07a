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


def test_two_editors_conflict_and_nothing_is_lost(live_server, seeded, browser, editor_login):
    article = Article.objects.get(slug="crowdsourcing")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/#language-fr"
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    editor_login(first)
    login_second = first.context.cookies()
    second.context.add_cookies(login_second)
    first.goto(url)
    second.goto(url)

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
