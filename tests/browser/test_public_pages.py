"""The public side of the portal, as an anonymous visitor sees it."""

from __future__ import annotations

import pytest

from tests.browser.steps import assert_accessible, focused_is, keyboard_fill, start_from_top, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_home_page_and_reaches_the_login_form(browsing, reference_data):
    page = browsing.page
    response = browsing.goto("/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Sistem Informasi Industri Nasional"
    assert page.get_by_role("heading", name="Indeks Kepercayaan Industri").is_visible()
    assert "Data individu perusahaan dijamin kerahasiaannya" in page.locator("footer").inner_text()
    assert_accessible(browsing, "beranda publik")
    browsing.shoot("beranda")

    # The first Tab lands on the skip link, which takes the keyboard straight to the content.
    start_from_top(browsing)
    page.keyboard.press("Tab")
    assert focused_is(browsing, ".skip-link")
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#konten")

    # On a phone the menu folds behind the toggler; it opens and shows the login button.
    page.set_viewport_size({"width": 390, "height": 844})
    toggler = page.get_by_role("button", name="Buka menu")
    assert toggler.is_visible()
    toggler.click()
    page.locator("#nav-utama.show").wait_for()
    assert page.locator("#nav-utama").get_by_role("link", name="Masuk").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    browsing.navigate(page.locator("main").get_by_role("link", name="Masuk").click)
    assert page.get_by_role("heading", name="Login ke SIINas").is_visible()


def test_the_login_page_is_labelled_accessible_and_usable_with_the_keyboard(browsing, reference_data):
    page = browsing.page
    browsing.goto("/akun/masuk/")
    # Both fields carry a visible label (axe below checks the association).
    assert page.locator("label[for=id_username]").inner_text().strip()
    assert page.locator("label[for=id_password]").inner_text().strip()
    assert page.locator("#id_username").is_visible() and page.locator("#id_password").is_visible()
    assert_accessible(browsing, "halaman login")
    browsing.shoot("login")

    # A wrong password by keyboard alone: the page says so and from then on asks for the security code.
    browsing.allow_console(r"Failed to load resource: the server responded with a status of 4\d\d")
    start_from_top(browsing)
    keyboard_fill(browsing, [("#id_username", "tidakada"), ("#id_password", "Salah#2026")])
    browsing.navigate(lambda: page.keyboard.press("Enter"))
    assert "/akun/masuk/" in page.url
    assert page.locator(".invalid-feedback, .alert-danger, .errorlist").first.is_visible()
    captcha = page.locator("#id_captcha_1")
    assert captcha.is_visible()
    assert page.locator("img.captcha").is_visible()
    assert_accessible(browsing, "halaman login dengan kode keamanan")
    browsing.shoot("login-gagal-dengan-captcha")
    tab_to(browsing, "#id_captcha_1")


def test_a_visitor_switches_the_portal_to_english_with_the_keyboard(browsing, reference_data):
    page = browsing.page
    browsing.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    # The language switch submits itself on change: focus it, pick English with the arrow key.
    start_from_top(browsing)
    tab_to(browsing, "#pilih-bahasa")
    browsing.navigate(lambda: page.keyboard.press("ArrowDown"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "National Industrial Information System"
    assert page.locator("main").get_by_role("link", name="Sign in").is_visible()
    assert_accessible(browsing, "home page in English")
    browsing.shoot("home-english")
    # The choice sticks: the login page is in English too.
    browsing.navigate(page.locator("main").get_by_role("link", name="Sign in").click)
    assert page.locator("html").get_attribute("lang") == "en"
