"""What a person does in the browser, and what the journeys check on every main page.

- ``assert_accessible``: axe-core (node_modules/axe-core, from the npm registry) injected into the page finds
  no serious or critical violation, and every visible form field has a label.
- ``tab_to`` / ``keyboard_fill``: reach and fill fields with the Tab key alone, as a keyboard user would.
- ``log_in``: the login form, the captcha when it is asked, and the TOTP step with a code computed from the
  officer's own device key (django_otp.oath.totp), exactly what an authenticator app would show.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import ARTIFACTS, AXE_JS, Browsing
from tests.factories import TEST_PASSWORD

BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class KnownProblem:
    """A violation found in another team's page and reported to its owner (docs/browser-tests.md lists each).

    It does not fail the journey, but it is written to artifacts/browser/known-problems.txt every time it is
    seen, so it stays visible until fixed; once it is fixed, the entry is removed here.
    """

    rules: tuple[str, ...]  # axe-core rule ids; "label" also stands for the field-label check
    target: str  # a regular expression for the CSS selector axe reports (whole match)
    owner: str
    note: str

    def matches(self, rule: str, target: str) -> bool:
        return rule in self.rules and re.fullmatch(self.target, target) is not None


# Problems found in other apps and not yet fixed (each fails the journey once removed from here).
KNOWN_PROBLEMS: tuple[KnownProblem, ...] = ()

# The form controls a person fills in; hidden inputs and buttons are not fields.
_FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea"


def assert_accessible(browsing: Browsing, what: str) -> None:
    """axe-core on the whole page: no serious or critical violation; every visible field labelled."""
    page = browsing.page
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluate() runs outside the page's Content-Security-Policy, which (rightly) forbids inline scripts.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
            }));
        }"""
    )
    blocking = []
    for violation in result:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        nodes = [n for n in violation["nodes"] if not _known(browsing, violation["id"], n.split(" :: ")[0], what)]
        if nodes:
            blocking.append({**violation, "nodes": nodes})
    if result:
        browsing.folder.mkdir(parents=True, exist_ok=True)
        (browsing.folder / f"axe-{_slug(what)}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    assert not blocking, f"axe-core on {what} ({page.url}):\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements)\n    " + "\n    ".join(v["nodes"][:5])
        for v in blocking
    )
    unlabelled = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.offsetParent !== null || el.type === 'file')
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby') && !el.closest('label'))
            .map(el => [el.id ? '#' + el.id : el.name, el.outerHTML.slice(0, 160)])""",
        _FIELDS,
    )
    unlabelled = [html for target, html in unlabelled if not _known(browsing, "label", target, what)]
    assert not unlabelled, f"fields without a label on {what} ({page.url}):\n  " + "\n  ".join(unlabelled)


def _known(browsing: Browsing, rule: str, target: str, what: str) -> bool:
    for problem in KNOWN_PROBLEMS:
        if problem.matches(rule, target):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            with (ARTIFACTS / "known-problems.txt").open("a", encoding="utf-8") as log:
                log.write(f"{browsing.folder.relative_to(ARTIFACTS)}: {what} ({browsing.page.url}): {rule} {target} — "
                          f"owner {problem.owner}: {problem.note}\n")
            return True
    return False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def focused_is(browsing: Browsing, selector: str) -> bool:
    return browsing.page.evaluate(
        "(selector) => { const el = document.querySelector(selector); return !!el && document.activeElement === el; }",
        selector,
    )


def tab_to(browsing: Browsing, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (fails if it never gets it)."""
    page = browsing.page
    for _ in range(limit):
        if focused_is(browsing, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus after {limit} presses of Tab on {page.url}")


def keyboard_fill(browsing: Browsing, fields: list[tuple[str, str]]) -> None:
    """Fill text fields in order with the keyboard alone: Tab to each one, select what is there, type."""
    page = browsing.page
    for selector, value in fields:
        tab_to(browsing, selector)
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(value)


def start_from_top(browsing: Browsing) -> None:
    """Put the keyboard at the top of the page, as a freshly loaded page would have it."""
    browsing.page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    browsing.page.locator("body").focus()


def totp_code(user) -> str:
    """The code the officer's authenticator app shows now; never one the device has already accepted."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    otp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    otp.time = time.time()
    if device.last_t is not None and otp.t() <= device.last_t:
        # The same 30-second step was used already (a second login): wait for the next one.
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        otp.time = time.time()
    return f"{otp.token():0{device.digits}d}"


def log_in(browsing: Browsing, user, password: str = TEST_PASSWORD, *, keyboard: bool = False) -> None:
    """Sign in through the login page (captcha answered when shown) and, for officers, the TOTP step."""
    page = browsing.page
    browsing.goto("/akun/masuk/")
    if keyboard:
        start_from_top(browsing)
        keyboard_fill(browsing, [("#id_username", user.get_username()), ("#id_password", password)])
        if page.locator("#id_captcha_1").count():
            keyboard_fill(browsing, [("#id_captcha_1", "PASSED")])
        browsing.navigate(lambda: page.keyboard.press("Enter"))
    else:
        page.locator("#id_username").fill(user.get_username())
        page.locator("#id_password").fill(password)
        if page.locator("#id_captcha_1").count():
            page.locator("#id_captcha_1").fill("PASSED")
        browsing.navigate(page.locator("main").get_by_role("button", name="Masuk", exact=True).click)
    if "/masuk/" in page.url and page.locator("#id_captcha_1").count():
        # The portal asks for the security code once it has seen a failure: answer and send again.
        page.locator("#id_password").fill(password)
        page.locator("#id_captcha_1").fill("PASSED")
        browsing.navigate(page.locator("main").get_by_role("button", name="Masuk", exact=True).click)
    if page.locator("#id_token").count() and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        page.locator("#id_token").fill(totp_code(user))
        browsing.navigate(lambda: page.locator("#id_token").press("Enter"))
    assert "/akun/masuk/" not in page.url, f"still on the login page: {page.locator('main').inner_text()}"


def log_out(browsing: Browsing) -> None:
    browsing.navigate(browsing.page.get_by_role("button", name="Keluar").first.click)


def last_mail_to(address: str, *, subject_contains: str = ""):
    """The newest e-mail sent to ``address`` (the live server runs in this process: locmem outbox)."""
    for message in reversed(mail.outbox):
        if address in message.to and subject_contains.lower() in message.subject.lower():
            return message
    raise AssertionError(f"no e-mail to {address}; outbox: {[(m.to, m.subject) for m in mail.outbox]}")


def keyboard_choose(browsing: Browsing, name: str, value: str) -> None:
    """Choose a radio button with the keyboard: Tab into the group, then the arrow keys (which also select)."""
    page = browsing.page
    group = f"input[type=radio][name='{name}']"
    values = page.eval_on_selector_all(group, "els => els.map(el => el.value)")
    assert value in values, f"{value!r} is not a choice of {name}: {values}"
    tab_to(browsing, f"{group}:checked" if page.locator(f"{group}:checked").count() else group)
    if not page.locator(f"{group}:checked").count():
        page.keyboard.press("Space")
    for _ in range(len(values)):
        if page.locator(f"{group}:checked").get_attribute("value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never selected {value!r} in {name}")


def keyboard_tick(browsing: Browsing, selector: str, *, on: bool = True) -> None:
    """Tab to a checkbox and set it with the space bar."""
    tab_to(browsing, selector)
    if browsing.page.locator(selector).is_checked() != on:
        browsing.page.keyboard.press("Space")
    assert browsing.page.locator(selector).is_checked() == on


def keyboard_submit(browsing: Browsing, button_selector: str) -> None:
    """Tab to a submit button and press Enter on it; waits for the next page."""
    tab_to(browsing, button_selector)
    browsing.navigate(lambda: browsing.page.keyboard.press("Enter"))


def field_error(browsing: Browsing, field_id: str) -> str:
    """The error text shown at a field (crispy: .invalid-feedback next to it, or inside its wrapper div)."""
    page = browsing.page
    wrapper = page.locator(f"#div_{field_id}")
    scope = wrapper if wrapper.count() else page.locator(f"#{field_id}").locator("xpath=..")
    feedback = scope.locator(".invalid-feedback, .errorlist")
    return " ".join(t.strip() for t in feedback.all_inner_texts())
