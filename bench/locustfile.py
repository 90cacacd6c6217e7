"""SIINas load test (issue 14 §4): a mixed authenticated scenario and a deadline surge.

Runs in locust's own (gevent) process and imports nothing of Django: who signs in and which URLs they
open come from the plan JSON that ``python -m bench plan`` writes (``LOADTEST_PLAN``). Everyone signs
in through the real login page (CSRF included) and officers pass the TOTP step with a code computed
from their device key (``siinas.core.scale.people.totp_key``), as a person with the authenticator would.

Mixed (user classes ``Company``, ``Verifier``, ``Validator``, ``Pemda``, ``Public``): companies browse
their dashboard, report page and section forms and save drafts (the form posted back as rendered);
verifiers and validators work their queues and review pages; Pemda officers their dashboards and
company lists; anonymous visitors the IKI release, the directory search and the receipt check. The
minimal signed-in page (the front page ``/`` requested signed in) is requested in the same run as the baseline.

Surge (user class ``SurgeCompany``): each locust user takes the next account of the plan's surge list,
signs in, opens the dashboard, starts the report (or opens its draft), saves two sections through their
forms, submits (one account in ten double-clicks: two submissions at once) and signs out; the run ends
when the list is used up. ``python -m bench check`` then counts duplicates.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import struct
import time
from collections import deque
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

PLAN: dict = {}
if os.environ.get("LOADTEST_PLAN"):
    with open(os.environ["LOADTEST_PLAN"]) as fh:
        PLAN = json.load(fh)


def _wait():
    low, _, high = os.environ.get("LOADTEST_WAIT", "0.1,0.5").partition(",")
    return between(float(low), float(high or low))


# --- Helpers: TOTP, forms ----------------------------------------------------------------------------


def totp(key_hex: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of a hex key (django-otp's TOTPDevice defaults: SHA-1, 30 s, 6 digits, t0 = 0)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


class _Forms(HTMLParser):
    """Every <form> of a page as a browser would submit it: inputs (checked boxes only), selects (the
    selected option, else the first), textareas; nothing inside <template> (formsets' blank rows)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._template = 0
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append([a["name"], a.get("value") or ("on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "text": ""}

    def handle_endtag(self, tag):
        if tag == "template":
            self._template = max(0, self._template - 1)
        if self._template:
            return
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            if chosen is not None:
                self._form["fields"].append([self._select["name"], chosen])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append([self._textarea["name"], self._textarea["text"].removeprefix("\n")])
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, *, field: str = "", action_end: str = "") -> dict | None:
    """The first form holding ``field`` (a field name) or whose action ends with ``action_end``."""
    for form in forms_of(html):
        names = {name for name, _ in form["fields"]}
        if (field and field in names) or (action_end and form["action"].endswith(action_end)):
            return form
    return None


def value_of(form: dict, name: str) -> str:
    return next((value for key, value in form["fields"] if key == name), "")


# --- Signing in -----------------------------------------------------------------------------------


class _RoundRobin:
    """Hands out the plan's people in turn, so concurrent locust users sign in as different people."""

    def __init__(self):
        self._counters: dict[str, itertools.count] = {}

    def next(self, key: str, people: list):
        if not people:
            raise StopUser
        counter = self._counters.setdefault(key, itertools.count())
        return people[next(counter) % len(people)]


PEOPLE = _RoundRobin()
SIGNED_IN = {"users": 0, "reset": False}


def signed_in(environment) -> None:
    """Mixed scenario: once every user has signed in, the statistics start afresh, so the figures are
    the steady state (a sign-in hashes the password: about a second of CPU, once per session)."""
    SIGNED_IN["users"] += 1
    runner = environment.runner
    target = getattr(runner, "target_user_count", None) or runner.user_count
    if not SIGNED_IN["reset"] and SIGNED_IN["users"] >= target:
        SIGNED_IN["reset"] = True
        environment.stats.reset_all()
        print(f"all {target} users signed in: statistics reset, the steady state is measured from here", flush=True)


class SiinasUser(HttpUser):
    abstract = True
    wait_time = _wait()

    def sign_in(self, username: str, totp_key: str | None = None) -> bool:
        urls = PLAN["urls"]
        self.client.cookies.clear()
        page = self.client.get(urls["login"], name="login page")
        form = form_with(page.text, field="username") or {"fields": []}
        body = {"csrfmiddlewaretoken": value_of(form, "csrfmiddlewaretoken"), "username": username, "password": PLAN["password"]}
        with self.client.post(urls["login"], data=body, name="login (POST)", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"login of {username} answered {r.status_code} (captcha, lockout or a wrong password?)")
                return False
        if totp_key is None:
            return True
        for attempt in range(3):
            page = self.client.get(urls["otp"], name="two-factor page")
            form = form_with(page.text, field="token") or {"fields": []}
            body = {"csrfmiddlewaretoken": value_of(form, "csrfmiddlewaretoken"), "token": totp(totp_key)}
            with self.client.post(urls["otp"], data=body, name="two-factor (POST)", allow_redirects=False, catch_response=True) as r:
                if r.status_code == 302:
                    return True
                if attempt < 2:
                    # The code of this 30-second step was used already (another session of the same officer):
                    # a real authenticator shows the next one a little later.
                    r.success()
                    time.sleep(30 - time.time() % 30 + 1)
                else:
                    r.failure(f"two-factor of {username} answered {r.status_code}")
        return False

    def get(self, url: str, name: str, expect: int = 200):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != expect:
                r.failure(f"{url} answered {r.status_code}, expected {expect}")
            return r


# --- Mixed scenario -------------------------------------------------------------------------------


class Company(SiinasUser):
    weight = 12

    def on_start(self):
        self.me = PEOPLE.next("company", PLAN["companies"])
        if not self.sign_in(self.me["username"]):
            raise StopUser
        signed_in(self.environment)

    @task(3)
    def minimal(self):
        self.get(PLAN["urls"]["minimal"], "minimal signed-in page")

    @task(2)
    def home(self):
        self.get(PLAN["urls"]["company_home"], "company: home (Tugas saya)")

    @task(2)
    def dashboard(self):
        self.get(PLAN["urls"]["company_dashboard"], "company: dashboard")

    @task(3)
    def report_page(self):
        self.get(self.me["report"], "company: report page")

    @task(3)
    def section_form(self):
        self.get(random.choice(self.me["sections"]), "company: section form")

    @task(1)
    def draft_save(self):
        url = random.choice(self.me["sections"])
        page = self.get(url, "company: section form")
        form = form_with(page.text, field="lock_version")
        if form is None:
            return
        with self.client.post(url, data=[*form["fields"], ["simpan", ""]], name="company: draft save (POST)",
                              allow_redirects=False, catch_response=True) as r:  # fmt: skip
            # 302: the section passed its checks; 200: saved with its messages (a draft may be wrong).
            if r.status_code not in (200, 302):
                r.failure(f"draft save answered {r.status_code}")


class Verifier(SiinasUser):
    weight = 3

    def on_start(self):
        me = PEOPLE.next("verifier", PLAN["verifiers"])
        if not self.sign_in(me["username"], me["totp_key"]):
            raise StopUser
        signed_in(self.environment)

    @task(4)
    def queue(self):
        self.get(PLAN["urls"]["verifier_queue"], "verifier: queue")

    @task(2)
    def review(self):
        if PLAN["reviews"]:
            self.get(random.choice(PLAN["reviews"]), "verifier: review page")

    @task(1)
    def rate(self):
        self.get(random.choice(PLAN["urls"]["reporting_rate"]), "verifier: reporting rate")

    @task(1)
    def iki(self):
        self.get(PLAN["urls"]["iki_officer"], "verifier: IKI officer dashboard")


class Validator(SiinasUser):
    weight = 3

    def on_start(self):
        self.me = PEOPLE.next("validator", PLAN["validators"])
        if not self.sign_in(self.me["username"], self.me["totp_key"]):
            raise StopUser
        signed_in(self.environment)

    @task(4)
    def queue(self):
        self.get(PLAN["urls"]["validator_queue"], "validator: queue")

    @task(2)
    def review(self):
        if self.me["reviews"]:
            self.get(random.choice(self.me["reviews"]), "validator: review page")


class Pemda(SiinasUser):
    weight = 3

    def on_start(self):
        me = PEOPLE.next("pemda", PLAN["pemda"])
        if not self.sign_in(me["username"], me["totp_key"]):
            raise StopUser
        signed_in(self.environment)

    @task(3)
    def dashboard(self):
        self.get(PLAN["urls"]["pemda_dashboard"], "pemda: dashboard")

    @task(2)
    def companies(self):
        self.get(PLAN["urls"]["pemda_companies"], "pemda: company list")

    @task(1)
    def monitor(self):
        self.get(PLAN["urls"]["pemda_monitor"], "pemda: report monitor")


class Public(SiinasUser):
    weight = 4

    def on_start(self):
        signed_in(self.environment)  # nobody to sign in: ready at once

    @task(2)
    def home(self):
        self.get(PLAN["urls"]["home"], "public: home")

    @task(2)
    def iki_release(self):
        self.get(PLAN["urls"]["iki_release"], "public: IKI release")

    @task(2)
    def directory(self):
        self.get(f"{PLAN['urls']['directory']}?q={random.choice(PLAN['words'])}", "public: directory search")

    @task(1)
    def receipt_check(self):
        if PLAN["urls"]["receipt_check"]:
            self.get(random.choice(PLAN["urls"]["receipt_check"]), "public: receipt check")


# --- Deadline surge --------------------------------------------------------------------------------

SURGE = deque(PLAN.get("surge", []))
SURGE_DONE = {"users": 0}
SUBMITTED_TEXT = "terkirim (versi"


class SurgeCompany(SiinasUser):
    """One account after another from the plan's surge list, like companies on the last day."""

    weight = 1
    wait_time = between(0.2, 1.0)

    @task
    def file_one_report(self):
        if not SURGE:
            # Each user looks at the list only after finishing an account, so the last one to find it empty
            # is the last to finish: the run ends then rather than at --run-time.
            SURGE_DONE["users"] += 1
            runner = self.environment.runner
            if SURGE_DONE["users"] >= (getattr(runner, "target_user_count", None) or runner.user_count):
                gevent.spawn_later(0.5, runner.quit)
            gevent.sleep(3600)
            return
        account = SURGE.popleft()
        if not self.sign_in(account["username"]):
            return
        self.file(account)
        self.sign_out()

    def file(self, account: dict) -> None:
        urls = PLAN["urls"]
        dashboard = self.get(urls["company_dashboard"], "surge: dashboard")
        report_url = account["report"]
        if report_url is None:
            form = form_with(dashboard.text, action_end=urls["report_start"]) or {"fields": []}
            body = {
                "csrfmiddlewaretoken": value_of(form, "csrfmiddlewaretoken"),
                "period": account["period"],
                "report_type": account["report_type"],
            }
            with self.client.post(urls["report_start"], data=body, name="surge: start report (POST)",
                                  allow_redirects=False, catch_response=True) as r:  # fmt: skip
                location = r.headers.get("Location", "")
                if r.status_code != 302 or "/laporan/" not in location or location.rstrip("/").endswith("/laporan"):
                    r.failure(f"start of {account['username']} answered {r.status_code} → {location}")
                    return
                report_url = location
        self.get(report_url, "surge: report page")
        if not self._confirm_and_type(report_url, account):
            return
        sections = account["sections"]
        chosen = [sections[0], random.choice(sections[1:] or sections)]
        for code in dict.fromkeys(chosen):
            url = f"{report_url}bagian/{code}/"
            page = self.get(url, "surge: section form")
            form = form_with(page.text, field="lock_version")
            if form is None:
                return
            with self.client.post(url, data=[*form["fields"], ["simpan", ""]], name="surge: draft save (POST)",
                                  allow_redirects=False, catch_response=True) as r:  # fmt: skip
                if r.status_code != 302:
                    r.failure(f"{url}: the section did not pass its checks ({r.status_code})")
                    return
        page = self.get(report_url, "surge: report page")
        form = form_with(page.text, action_end="/kirim/")
        if form is None:
            self.environment.events.request.fire(
                request_type="POST", name="surge: submit (POST)", response_time=0, response_length=0,
                exception=RuntimeError(f"{report_url}: no submit form"), context={},
            )  # fmt: skip
            return
        body = form["fields"]
        clicks = 2 if random.random() < 0.1 else 1
        jobs = [gevent.spawn(self._submit, f"{report_url}kirim/", body) for _ in range(clicks)]
        gevent.joinall(jobs)
        with self.client.get(report_url, name="surge: report page", catch_response=True) as r:
            if SUBMITTED_TEXT not in r.text:
                r.failure(f"{report_url}: no 'terkirim' message after the submission")

    def _confirm_and_type(self, report_url: str, account: dict) -> bool:
        """A report started from the accepted one (pre-fill asks, issue 16 §5): confirm each section
        carried over, then type each flow section (the plan holds last semester's figures)."""
        for code in account.get("confirm", []):
            url = f"{report_url}bagian/{code}/"
            page = self.get(url, "surge: section form")
            form = form_with(page.text, action_end="/konfirmasi/")
            if form is None:
                return False
            with self.client.post(f"{url}konfirmasi/", data=form["fields"], name="surge: confirm section (POST)",
                                  allow_redirects=False, catch_response=True) as r:  # fmt: skip
                if r.status_code != 302:
                    r.failure(f"{url}: confirming answered {r.status_code}")
                    return False
        for code, fields in account.get("flows", {}).items():
            url = f"{report_url}bagian/{code}/"
            page = self.get(url, "surge: section form")
            form = form_with(page.text, field="lock_version")
            if form is None:
                return False
            kept = [[k, v] for k, v in form["fields"] if k in ("csrfmiddlewaretoken", "lock_version")]
            with self.client.post(url, data=[*kept, *fields, ["simpan", ""]], name="surge: draft save (POST)",
                                  allow_redirects=False, catch_response=True) as r:  # fmt: skip
                if r.status_code != 302:
                    r.failure(f"{url}: the typed section did not pass its checks ({r.status_code})")
                    return False
        return True

    def _submit(self, url: str, body) -> None:
        with self.client.post(url, data=body, name="surge: submit (POST)", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"submit answered {r.status_code}")

    def sign_out(self) -> None:
        page = self.client.get(PLAN["urls"]["minimal"], name="surge: minimal signed-in page")
        form = form_with(page.text, action_end=PLAN["urls"]["logout"])
        token = value_of(form, "csrfmiddlewaretoken") if form else ""
        self.client.post(PLAN["urls"]["logout"], data={"csrfmiddlewaretoken": token}, name="logout (POST)", allow_redirects=False)
