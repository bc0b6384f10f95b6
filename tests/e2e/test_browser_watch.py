"""The browser fixture fails a test on what a person's console would show as broken."""

from __future__ import annotations

from tests.e2e.conftest import WatchedBrowser
from tests.support.waiting import eventually


async def test_console_errors_page_errors_and_blocked_inline_scripts_are_reported(
    chromium, live_server
):
    watched = WatchedBrowser(chromium)
    page = await watched.new_page(base_url=live_server)
    await page.goto("/login")
    # What an inline script in index.html used to do: the page's own policy blocks it.
    await page.evaluate(
        """() => {
            const script = document.createElement('script')
            script.textContent = 'window.inlineRan = true'
            document.head.appendChild(script)
            console.error('something broke')
            setTimeout(() => { throw new Error('uncaught in a timer') })
        }"""
    )
    await eventually(
        lambda: any("uncaught in a timer" in problem for problem in watched.problems),
        "the timer's exception to reach the test",
        timeout=10,
    )
    await watched.close_contexts()

    report = "\n".join(watched.problems)
    assert "Content Security Policy" in report
    assert "something broke" in report
    assert "uncaught in a timer" in report


async def test_a_refusal_the_test_expects_is_let_through_and_no_other(chromium, live_server):
    watched = WatchedBrowser(chromium)
    watched.expect_refusal(401, "/api/v1/me")
    page = await watched.new_page(base_url=live_server)
    await page.goto("/login")
    await page.evaluate("() => Promise.all([fetch('/api/v1/me'), fetch('/api/v1/nope')])")
    await watched.close_contexts()

    assert len(watched.problems) == 1
    assert "/api/v1/nope" in watched.problems[0]
