"""“Nothing a user types or sends can make a 500”: a fuzz suite generated from the forms themselves.

Every form a role can reach is fetched and parsed: the ``input``/``select``/``textarea`` names, the
StreamField blocks Wagtail's admin draws with JavaScript (decoded from the block definition and value
on the page), one new form in every inline formset (from its ``__prefix__`` template) and the comments
management form. A baseline is built from the rendered values (selected options, checked boxes, input
values, textarea contents; empty fields the re-shown form marks as errors are filled in), and then each
field is sent replaced by hostile values, missing, and duplicated; then all fields at once, one request
per hostile value (a 5xx there is narrowed down to the field by halving). Every GET view gets hostile
query parameters (the names found on the page in GET forms and links, plus a fixed list) and hostile path
segments for its URL kwargs. Nothing is hard-coded about the fields, so a new field is fuzzed without
anyone remembering.

Every request runs in its own savepoint, rolled back afterwards, so inputs never affect each other.
Every response must be below 500, and a refused or re-shown form must have stored nothing. Failures are
collected per area (method, URL, field, value, status, the exception's last line and where it was
raised) and asserted together; the counts and every finding are printed at the end of the module.
"""

import json
import logging
import os
import re
import time
import traceback
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, Site

from faggruppe_pages.models import ArbeidsgruppePage, GroupPage, Membership, Organisation, Person
from governance.models import GoverningBody, Mandate

pytestmark = pytest.mark.django_db

# -- the hostile values ---------------------------------------------------------------------------------------

LONG = "x" * 10_000
HOSTILE = [
    "abc",
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "²",
    "١٢",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    LONG,
    "2026-02-30",
    "30.02.2026",
    "0000-00-00",
    "99999-01-01",
    "../../etc/passwd",
    "😀",
    # A lone surrogate ("\ud800") cannot be encoded into a request: not sendable, so not sent.
]
# What each field gets on its own, by kind: the values most likely to reach different code (a parser, a
# lookup, SQLite's 64-bit limit, a validator, a save). Every value of HOSTILE reaches every field anyway, in
# the all-fields-at-once pass; this keeps the module near 150 s on SQLite on two cores.
INT_VALUES = ["abc", "²", "9223372036854775808"]
DATE_VALUES = ["abc", "2026-02-30", "99999-01-01"]
CHOICE_VALUES = ["abc"]
TEXT_VALUES = ["a\x00b", LONG, "😀"]
JSON_VALUES = ["abc", "{}", "null", '{"blocks": 1}', '{"blocks": [{"text": null}], "entityMap": []}']
#: Fields only a tampered request could change (block ids, a formset's min/max).
SEEN_VALUES = ["abc"]
#: Single-parameter queries for the parameters a page offers (all parameters get HOSTILE together).
QUERY_VALUES = ["abc", "9223372036854775808", "²"]
#: The all-at-once pass of a GET view and of a later form of a family (the same fields got HOSTILE in the
#: first form): HOSTILE but for variants that reach the same code as others.
SHORT_ALL = [
    v
    for v in HOSTILE
    if v
    not in (
        "a\x00b",
        "30.02.2026",
        "0000-00-00",
        "NaN",
        "null",
        "{}",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x","y")',
    )
]
#: Query parameter names every GET view gets, besides the ones found on the page.
FIXED_PARAMS = [
    "p",
    "q",
    "ordering",
    "organisasjon",
    "person",
    "group",
    "represents",
    "export",
    "next",
    "page",
    "multiple",
    "side",  # the paged overview pages' page number (offered as a link only once there are many groups)
]
#: Path segments for URL kwargs (``%00`` goes out percent-encoded, so the view sees a NUL byte).
PATH_VALUES = ["abc", "9223372036854775808", "-1", "²", "%00"]


def show(value):
    if isinstance(value, _Marker):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if value is None:
        return "(as rendered)"
    if value == LONG:
        return "'x' * 10000"
    return repr(value) if len(value) < 80 else repr(value[:60]) + f"… ({len(value)} chars)"


# -- statistics and the request runner ---------------------------------------------------------------------------

STATS = {"fields": 0, "params": 0, "segments": 0, "inputs": 0, "5xx": 0, "stored": 0, "areas": {}}
FINDINGS = []  # every failure of the module, printed at the end
#: Inputs that took longer than this are listed at the end (not a failure: a finding for a timeout).
SLOW_SECONDS = 3.0
SLOW = []


class _Rollback(Exception):
    pass


def _exception_line(response):
    """``ValueError: …  [raised at wagtail/…:121 fn; via faggruppe_pages/…:40 fn]``."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception: a 5xx response)"
    exc_type, exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "/site-packages/" not in f.filename and "/lib/python3." not in f.filename]
    line = traceback.format_exception_only(exc_type, exc)[-1].strip()
    if len(line) > 240:
        line = line[:240] + "…"

    def where(frame):
        path = frame.filename.split("/site-packages/")[-1].replace("/work/main/", "")
        return f"{path}:{frame.lineno} {frame.name}"

    if frames:
        line += f"  [raised at {where(frames[-1])}"
        if ours and ours[-1] is not frames[-1]:
            line += f"; via {where(ours[-1])}"
        line += "]"
    return line


_STATE_MODELS = (
    Membership,
    Person,
    Organisation,
    Mandate,
    GoverningBody,
    Page,
    Revision,
    ModelLogEntry,
    PageLogEntry,
    User,
    Group,
)


def world_state(watch=()):
    """Row counts of everything a form could create (one query), and the watched rows' values."""
    quote_name = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote_name(m._meta.db_table)})" for m in _STATE_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = tuple(cursor.fetchone())
    rows = [serializers.serialize("json", model.objects.filter(pk=pk)) for model, pk in watch]
    return counts, rows


def _consume(response):
    """Read a streamed response (CSV exports, files) to the end: its errors happen while it is read.

    The test client's wrapper closes the response when the stream ends; closing it again would send
    ``request_finished`` outside the client, which closes the database connection (PostgreSQL)."""
    if getattr(response, "streaming", False):
        try:
            response.content_bytes = b"".join(response.streaming_content)
        except Exception as exc:  # noqa: BLE001 - a server would fail the same way, mid-response
            response.status_code = 500
            response.exc_info = (type(exc), exc, exc.__traceback__)


def _saved(response):
    """A redirect that is not a refusal, or a chooser's "chosen" step: the input was accepted."""
    if response.status_code in (301, 302, 303):
        location = urlsplit(response.get("Location", "")).path
        return location not in ("/admin/", "/admin") and "login" not in location and "logg-inn" not in location
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return "chosen" in str(json.loads(response.content).get("step", ""))
        except ValueError:
            return False
    return False


@dataclass
class Area:
    """One form or group of views: its failures and counters, and the rows whose change it watches."""

    name: str
    watch: tuple = ()
    failures: list = field(default_factory=list)
    inputs: int = 0
    fields: int = 0
    families: set = field(default_factory=set)
    crashing: set = field(default_factory=set)  # fields (families) that already answered 5xx on their own
    seen_failures: set = field(default_factory=set)
    baseline_statuses: list = field(default_factory=list)
    baseline_fixes: set = field(default_factory=set)
    started: float = field(default_factory=time.perf_counter)

    def send(self, client, method, url, data=None, *, what="", value=None, check_stored=False, record=True):
        """One request in its own savepoint (rolled back). Returns the response."""
        self.inputs += 1
        t0 = time.perf_counter()
        STATS["inputs"] += 1
        before = world_state(self.watch) if check_stored else None
        response, stored = None, False
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(url, data or {})
                else:
                    response = client.post(url, data or {})
                _consume(response)
                if check_stored and response.status_code < 500 and not _saved(response):
                    stored = world_state(self.watch) != before
                raise _Rollback
        except _Rollback:
            pass
        elapsed = time.perf_counter() - t0
        if elapsed > SLOW_SECONDS:
            SLOW.append(
                f"[{self.name}] {method} {url}  {what} = {show(value)}  -> {response.status_code} in {elapsed:.1f} s"
            )
        if record and response.status_code >= 500:
            self.fail(method, url, what, value, response.status_code, _exception_line(response))
        if stored:
            self.fail(method, url, what, value, response.status_code, "refused or re-shown, but something was stored")
        return response

    def fail(self, method, url, what, value, status, detail):
        key = (method, url, what, show(value), status)
        if key in self.seen_failures:  # the all-at-once pass narrowing down to an input already reported
            return
        self.seen_failures.add(key)
        if status >= 500:
            STATS["5xx"] += 1
            self.crashing.add(_family_name(what))
        else:
            STATS["stored"] += 1
        entry = f"{method} {url}  {what} = {show(value)}  -> {status}  {detail}"
        self.failures.append((method, url, what, show(value), status, detail))
        FINDINGS.append(f"[{self.name}] {entry}")

    def check(self):
        baselines = ", ".join(str(status) for _url, status in self.baseline_statuses)
        STATS["areas"][self.name] = (
            self.fields,
            self.inputs,
            len(self.failures),
            time.perf_counter() - self.started,
            baselines,
        )
        if not self.failures:
            return
        # One line per field and cause, with every value that hit it, so the message stays readable.
        grouped = {}
        for method, url, what, value, status, detail in self.failures:
            cause = re.sub(r"^([\w.]+)(: .*?)?(  \[raised at [^;\]]+).*$", r"\1\3]", detail)
            grouped.setdefault((method, url, what, status, cause), []).append(value)
        lines = [
            f"{method} {url}  {what} = {', '.join(values)}  -> {status}  {cause}"
            for (method, url, what, status, cause), values in grouped.items()
        ]
        pytest.fail(
            f"{self.name}: {len(self.failures)} of {self.inputs} inputs answered 5xx or stored a refused value "
            f"({len(lines)} distinct causes; every input with its exception is in the module's summary):\n  "
            + "\n  ".join(lines),
            pytrace=False,
        )


def narrow_down(area, names, send_subset):
    """All of ``names`` together gave a 5xx: halve until single names do (recorded as failures). If no
    single name does, shrink the set one name at a time to a minimal one and record that."""
    found = []

    def search(subset):
        if len(subset) == 1:
            if send_subset(subset, record=True).status_code >= 500:
                found.append(subset[0])
            return
        middle = len(subset) // 2
        for half in (subset[:middle], subset[middle:]):
            if send_subset(half, record=False).status_code >= 500:
                search(half)

    search(list(names))
    if not found:  # only in combination: a minimal combination
        minimal = list(names)
        for name in list(minimal):
            rest = [n for n in minimal if n != name]
            if rest and send_subset(rest, record=False).status_code >= 500:
                minimal = rest
        send_subset(minimal, record=True)
        found = minimal
    return found


# -- what a browser would send ------------------------------------------------------------------------------------


def page_html(response):
    """The HTML of a page or of a modal (Wagtail's choosers answer JSON with an ``html`` key)."""
    raw = getattr(response, "content_bytes", None)
    body = (raw if raw is not None else b"" if getattr(response, "streaming", False) else response.content).decode(
        "utf-8", "replace"
    )
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.loads(body).get("html", "") or ""
        except ValueError:
            return ""
    return body


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, number, date, email, button, block, blockmeta, …
    baseline: list  # what the browser sends ([] for nothing)
    options: list = field(default_factory=list)
    disabled: bool = False


@dataclass
class ParsedForm:
    action: str
    fields: dict  # name -> FormField, in document order

    def baseline(self):
        return {
            f.name: list(f.baseline)
            for f in self.fields.values()
            if f.baseline and not f.disabled and f.kind != "button"
        }


DATE_NAME = re.compile(r"(date|_on$|_at$|_from$|_to$|go_live|expire)", re.I)
DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _kind(el):
    if el.name in ("select", "textarea"):
        return el.name
    if el.name == "button":
        return "button"
    kind = (el.get("type") or "text").lower()
    if kind in ("submit", "image"):
        return "button"
    if kind in ("text", "hidden") and (DATE_NAME.search(el.get("name", "")) or DATE_VALUE.match(el.get("value") or "")):
        return "date"
    return kind


def parse_form(html, url, action_contains=None):
    """The page's POST form (whose action contains ``action_contains``, else the one with most fields)."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.find_all("form") if (f.get("method") or "get").lower() == "post"]
    if action_contains:
        forms = [f for f in forms if action_contains in (f.get("action") or url)]
    if not forms:
        return None
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    elements = form.find_all(["input", "select", "textarea", "button"])
    if form.get("id"):  # fields outside the form that belong to it
        elements += soup.find_all(["input", "select", "textarea", "button"], attrs={"form": form["id"]})
    fields = {}
    for el in elements:
        name = el.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        kind = _kind(el)
        if kind in ("file", "reset") or (el.name == "button" and (el.get("type") or "submit") != "submit"):
            continue
        options = []
        if kind == "button":
            baseline = []
        elif kind == "select":
            opts = el.find_all("option")
            options = [o.get("value", o.get_text()) for o in opts]
            baseline = [o.get("value", o.get_text()) for o in opts if o.has_attr("selected")]
            if not baseline and options and not el.has_attr("multiple"):
                baseline = options[:1]  # a browser sends the first option
        elif kind in ("checkbox", "radio"):
            options = [el.get("value", "on")]
            baseline = options[:] if el.has_attr("checked") else []
        elif kind == "textarea":
            text = el.get_text()
            baseline = [text[1:] if text.startswith("\n") else text]
        else:
            baseline = [el.get("value", "")]
        if name in fields:  # radio groups and checkbox lists: one field, several values
            fields[name].baseline += [v for v in baseline if v not in fields[name].baseline]
            fields[name].options += options
            continue
        fields[name] = FormField(name, kind, baseline, options, disabled=el.has_attr("disabled"))
    _add_formset_forms(fields)
    for div in form.find_all(attrs={"data-controller": "w-block"}):
        _add_stream_fields(fields, div)
    comments = soup.find(id="comments-data")
    if comments is not None and "comments-TOTAL_FORMS" not in fields:
        # Wagtail's comments app (JavaScript) posts the comments formset's management form.
        assert not json.loads(comments.get_text() or "{}").get("comments"), "choose a page without comments"
        for suffix, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        ):
            fields[f"comments-{suffix}"] = FormField(f"comments-{suffix}", "hidden", [value])
    return ParsedForm(urljoin(url, form.get("action") or url), fields)


def _add_formset_forms(fields):
    """One new form in every inline formset, as its "add" button makes it (``__prefix__`` -> next index)."""
    templates = [name for name in fields if "__prefix__" in name]
    for prefix in {name.split("-__prefix__-")[0] for name in templates}:
        total = fields.get(f"{prefix}-TOTAL_FORMS")
        index = int(total.baseline[0]) if total is not None and total.baseline and total.baseline[0].isdigit() else None
        for name in [n for n in templates if n.startswith(f"{prefix}-__prefix__-")]:
            template = fields.pop(name)
            if index is not None:
                new = name.replace("__prefix__", str(index))
                fields[new] = FormField(new, template.kind, template.baseline, template.options, template.disabled)
        if index is not None:
            total.baseline = [str(index + 1)]


def _unpack(node, refs):
    """Telepath's packed JSON (``_type``/``_args``, ``_id``/``_ref``, ``_val``, ``_list``, ``_dict``)."""
    if isinstance(node, list):
        return [_unpack(n, refs) for n in node]
    if not isinstance(node, dict):
        return node
    if "_ref" in node:
        return refs[node["_ref"]]
    if "_val" in node:
        result = node["_val"]
    elif "_list" in node:
        result = [_unpack(n, refs) for n in node["_list"]]
    elif "_dict" in node:
        result = {k: _unpack(v, refs) for k, v in node["_dict"].items()}
    elif "_type" in node:
        result = {"_type": node["_type"], "args": [_unpack(a, refs) for a in node.get("_args", [])]}
    else:
        result = {k: _unpack(v, refs) for k, v in node.items()}
    if "_id" in node:
        refs[node["_id"]] = result
    return result


def _first_of_each_type(items):
    """The stream as if the editor had removed repeats: one item per block type (each is fuzzed alike)."""
    seen, kept = set(), []
    for item in items or []:
        if item.get("type") not in seen:
            seen.add(item.get("type"))
            kept.append(item)
    return kept


_CONTENTSTATE = json.dumps(
    {
        "blocks": [
            {
                "key": "fuzz1",
                "text": "Fuzz",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
)


def _block_fields(definition, value, prefix, new=False):
    """(name, value, kind) as the block editor's JavaScript posts them: ``body-count``, ``body-0-type``, …

    Repeats are left out (one item per block type, one item per list: the rest are fuzzed alike), and
    every block type not in the value is added once, as the editor's "+" adds it (``new``: its empty
    leaves get a value, so the baseline stays valid)."""
    kind = definition["_type"].rsplit(".", 1)[-1]
    args = definition["args"]
    if kind.endswith("StreamBlock"):
        children = {child["args"][0]: child for _group, group in args[1] for child in group}
        items = [(item, new) for item in _first_of_each_type(value)]
        present = {item["type"] for item, _new in items}
        items += [
            ({"type": name, "value": args[2].get(name), "id": str(uuid.UUID(int=i + 1))}, True)
            for i, name in enumerate(children)
            if name not in present
        ]
        out = [(f"{prefix}-count", str(len(items)), "blockmeta")]
        for i, (item, is_new) in enumerate(items):
            out += [
                (f"{prefix}-{i}-deleted", "", "blockmeta"),
                (f"{prefix}-{i}-order", str(i), "blockmeta"),
                (f"{prefix}-{i}-type", item["type"], "blockmeta"),
                (f"{prefix}-{i}-id", item.get("id") or "", "blockid"),
            ]
            out += _block_fields(children[item["type"]], item["value"], f"{prefix}-{i}-value", is_new)
        return out
    if kind.endswith("ListBlock"):
        items = [(item, new) for item in (value or [])[:1]] or [
            ({"value": args[2], "id": str(uuid.UUID(int=99))}, True)
        ]
        out = [(f"{prefix}-count", str(len(items)), "blockmeta")]
        for i, (item, is_new) in enumerate(items):
            out += [
                (f"{prefix}-{i}-deleted", "", "blockmeta"),
                (f"{prefix}-{i}-order", str(i), "blockmeta"),
                (f"{prefix}-{i}-id", item.get("id") or "", "blockid"),
            ]
            out += _block_fields(args[1], item["value"], f"{prefix}-{i}-value", is_new)
        return out
    if kind.endswith("StructBlock"):
        out = []
        for child in args[1]:
            out += _block_fields(child, (value or {}).get(child["args"][0]), f"{prefix}-{child['args'][0]}", new)
        return out
    if kind.endswith("StaticBlock"):
        return []
    widget = args[1]["_type"] if len(args) > 1 and isinstance(args[1], dict) else ""
    rich = "Draftail" in widget or "RichText" in widget
    if isinstance(value, bool):
        return [(prefix, "on", "block")] if value else []
    if new and value in (None, ""):
        value = _CONTENTSTATE if rich else "Fuzz"
    return [(prefix, "" if value is None else str(value), "richtext" if rich else "block")]


def _add_stream_fields(fields, div):
    definition = _unpack(json.loads(div["data-w-block-data-value"]), {})
    value, _errors = json.loads(div["data-w-block-arguments-value"])
    for name, val, kind in _block_fields(definition, value, div["id"]):
        fields[name] = FormField(name, kind, [val])


def discover_params(html, url):
    """Query parameter names the page offers: GET forms' fields and the query keys of its own links."""
    soup = BeautifulSoup(html, "html.parser")
    names = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        for el in form.find_all(["input", "select", "textarea"]):
            if el.get("name") and (el.get("type") or "").lower() not in ("submit", "button", "image"):
                names.append(el["name"])
    path = urlsplit(url).path
    for a in soup.find_all("a", href=True):
        parts = urlsplit(urljoin(url, a["href"]))
        if parts.query and parts.path.startswith(path):
            names += [key for key, _v in parse_qsl(parts.query, keep_blank_values=True)]
    return list(dict.fromkeys(n for n in names if n != "csrfmiddlewaretoken"))


# -- which values each field gets --------------------------------------------------------------------------------

_BOOKKEEPING_FULL = re.compile(r"^[^-]+-(count|0-deleted|0-order|0-type)$")  # body-count, body-0-deleted, …
_ID_NAME = re.compile(r"(^|[-_])(id|pk|count|order|deleted|DELETE|TOTAL_FORMS|INITIAL_FORMS)$")


#: ``FUZZ_FULL=1``: every value of HOSTILE on its own for choosers, choices, hidden, id-like and date fields
#: too (several minutes; for a nightly run). By default they get HOSTILE in the all-at-once pass.
FULL = os.environ.get("FUZZ_FULL") == "1"
FULL_KINDS = {"hidden", "select", "checkbox", "radio", "number", "date", "blockmeta"}


def values_for(f):
    """The values one field gets on its own (every value of HOSTILE reaches it in the all-at-once pass)."""
    if _BOOKKEEPING_FULL.match(f.name) or (FULL and (f.kind in FULL_KINDS or _ID_NAME.search(f.name))):
        return HOSTILE  # a StreamField's own bookkeeping: always fully
    if f.kind == "blockid" or f.name.endswith(("MIN_NUM_FORMS", "MAX_NUM_FORMS")):
        return SEEN_VALUES
    if f.kind in ("blockmeta", "number") or _ID_NAME.search(f.name):
        return INT_VALUES
    if f.kind == "hidden":  # choosers (ids) and other hidden values (next, timestamps)
        return INT_VALUES + ([] if all(v.isdigit() or v == "" for v in f.baseline) else ["../../etc/passwd"])
    if f.kind == "select":
        numeric = [o for o in f.options if o]
        return INT_VALUES if numeric and all(o.isdigit() for o in numeric) else CHOICE_VALUES
    if f.kind in ("checkbox", "radio"):
        return CHOICE_VALUES
    if f.kind == "date":
        return DATE_VALUES
    if f.kind == "richtext" or any(v.lstrip().startswith(("{", "[")) for v in f.baseline):
        return JSON_VALUES  # rich text (Draftail's contentstate) and other JSON
    return TEXT_VALUES


def _duplicated(f):
    """Fields a view may read with ``getlist``: sent twice (an invalid value first, the valid one last)."""
    return f.kind in ("select", "hidden", "checkbox", "radio", "blockmeta", "number")


def _family(f):
    return _family_name(f.name)


def _family_name(name):
    """``body-2-value-items-0-order`` -> ``body-N-value-items-N-order``."""
    return re.sub(r"-\d+-", "-N-", name)


# -- fixtures -----------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _world(demo_world):
    yield


@pytest.fixture(scope="module", autouse=True)
def _quiet_fast_and_summary(request, uninstrumented_templates):
    """Collect 500s instead of logging their tracebacks; render templates without the test client's
    per-template context copies (conftest); print the counts at the end."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)
    lines = [
        "",
        f"fuzz: {STATS['fields']} form fields, {STATS['params']} query parameters and {STATS['segments']} path "
        f"segments fuzzed; {STATS['inputs']} inputs sent; {STATS['5xx']} answered 5xx; {STATS['stored']} stored a "
        "refused value",
    ]
    for name, (fields, inputs, failures, elapsed, baselines) in STATS["areas"].items():
        lines.append(
            f"  {name:<46} {fields:>4} fields {inputs:>5} inputs {failures:>4} failures {elapsed:6.1f} s"
            + (f"  (baseline POSTs: {baselines})" if baselines else "")
        )
    if FINDINGS:
        lines.append(f"fuzz findings ({len(FINDINGS)}):")
        lines += ["  " + line for line in FINDINGS]
    if SLOW:
        lines.append(
            f"fuzz: inputs slower than {SLOW_SECONDS:.0f} s ({len(SLOW)}; a server's timeout would answer 5xx):"
        )
        lines += ["  " + line for line in SLOW]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            for line in lines:
                reporter.write_line(line)


@dataclass
class World:
    molde: Organisation
    fagforbundet: Organisation
    rep_person: Person
    group: GroupPage  # a group page rep-molde sits in (and so may edit)
    subgroup: Page  # an arbeidsgruppe below it
    membership: Membership  # a current Molde membership, not rep-molde's own
    person: Person  # a Molde employee without an account
    union_membership: Membership
    mandate_live: Mandate
    mandate_draft: Mandate
    body: GoverningBody


@pytest.fixture
def world():
    today = timezone.localdate()
    rep_person = Person.objects.get(user__username="rep-molde")
    molde = Organisation.objects.get(slug="molde")
    fagforbundet = Organisation.objects.get(slug="fagforbundet")
    own = Membership.objects.filter(person=rep_person).active_on(today).select_related("group")
    group = next(m.group.specific for m in own if ArbeidsgruppePage.objects.child_of(m.group).exists())
    return World(
        molde=molde,
        fagforbundet=fagforbundet,
        rep_person=rep_person,
        group=group,
        subgroup=ArbeidsgruppePage.objects.child_of(group).order_by("pk").first(),
        membership=Membership.objects.filter(represents=molde)
        .exclude(person=rep_person)
        .active_on(today)
        .order_by("pk")
        .first(),
        person=Person.objects.filter(employer=molde, user__isnull=True).order_by("pk").first(),
        union_membership=Membership.objects.filter(represents=fagforbundet).active_on(today).order_by("pk").first(),
        mandate_live=Mandate.objects.filter(live=True).order_by("pk").first(),
        mandate_draft=Mandate.objects.filter(live=False).order_by("pk").first(),
        body=GoverningBody.objects.order_by("pk").first(),
    )


def client_for(username):
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def snippet_url(model, view, *args):
    parts = [f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}", view, *map(str, args)]
    return "/".join(p for p in parts if p) + "/"


# -- POST: every field of every form -----------------------------------------------------------------------------


def _error_fields(response):
    """Names of the fields a re-shown Wagtail form marks as wrong."""
    soup = BeautifulSoup(page_html(response), "html.parser")
    names = set()
    for wrapper in soup.select(".w-field--error, [aria-invalid=true]"):
        if wrapper.get("name"):
            names.add(wrapper["name"])
        names |= {el["name"] for el in wrapper.find_all(["input", "select", "textarea"]) if el.get("name")}
    for errors in soup.select("[id$=-errors]"):  # <div id="panel-child-…-title-errors"> with text in it
        if errors.get_text(strip=True):
            names |= {el["name"] for el in errors.parent.find_all(["input", "select", "textarea"]) if el.get("name")}
    return names


def _candidates(f):
    """Plausible values to try, in order, for a field the form refuses (to make the baseline valid)."""
    today = timezone.localdate().isoformat()
    current = (f.baseline or [""])[0]
    if f.kind == "select":
        return [o for o in f.options if o and o != current]
    if "slug" in f.name:
        return [f"{current or 'fuzz'}-fuzz", "fuzz-baseline-2"]
    by_kind = {"date": [today], "email": ["fuzz@example.org"], "url": ["https://example.org/"], "number": ["1"]}
    return by_kind.get(f.kind, ["Fuzz baseline", "12345678", "fuzz@example.org", "https://example.org/", today])


def make_valid_baseline(area, client, form, target, response):
    """While the form comes back with errors, try the next plausible value in each refused field."""
    tried = {}
    for _attempt in range(6):
        if response.status_code != 200:
            break
        changed = False
        for name in _error_fields(response):
            f = form.fields.get(name)
            if f is None or f.kind in ("hidden", "button"):
                continue
            options = tried.setdefault(name, _candidates(f))
            if options:
                f.baseline = [options.pop(0)]
                changed = True
                area.baseline_fixes.add(name)
        if not changed:
            break
        response = area.send(client, "POST", target, form.baseline(), what="(baseline)", check_stored=True)
    return response


def fuzz_form(area, client, url, *, action_contains=None, post_to=None, form=None):
    """GET the form at ``url`` and make its baseline valid; send each field this area has not fuzzed yet
    with hostile values on its own; then every field at once (a request per hostile value), every field
    missing at once and every field sent twice at once, each 5xx narrowed down to the field(s).
    ``post_to``: send the form to another endpoint (a chooser's ``create/``)."""
    if form is None:
        response = area.send(client, "GET", url, what="(form page)")
        assert response.status_code == 200, f"{area.name}: GET {url} -> {response.status_code}"
        form = parse_form(page_html(response), url, action_contains)
        assert form is not None and form.fields, f"{area.name}: no POST form at {url}"
    target = post_to or form.action
    response = area.send(client, "POST", target, form.baseline(), what="(baseline)", check_stored=True)
    response = make_valid_baseline(area, client, form, target, response)
    fixed = sorted(area.baseline_fixes)
    area.baseline_fixes.clear()
    area.baseline_statuses.append(
        (target, f"{response.status_code}" + (f" (filled: {', '.join(fixed)})" if fixed else ""))
    )
    exists = response.status_code not in (404, 405)  # not there: the all-at-once passes are enough
    fields = [f for f in form.fields.values() if f.kind != "button"]
    buttons = [f for f in form.fields.values() if f.kind == "button"] if exists else []
    base = form.baseline()
    later = any(_family(f) in area.families for f in fields)  # add, then edit: the same model's fields
    new = []  # the first field of each family this area has not fuzzed yet (body-0-order, not body-1-order)
    for f in fields if exists else []:
        if _family(f) not in area.families:
            area.families.add(_family(f))
            new.append(f)
    area.fields += len(new) + len(buttons)
    STATS["fields"] += len(new) + len(buttons)
    for f in new:
        for value in values_for(f):
            area.send(client, "POST", target, {**base, f.name: [value]}, what=f.name, value=value, check_stored=True)
    for f in buttons:  # named submit buttons (publish, submit for approval): pressed and forged
        for value in ["1", "\x00"]:
            area.send(client, "POST", target, {**base, f.name: [value]}, what=f.name, value=value, check_stored=True)

    def build(names, value):
        if value is MISSING:
            return {k: v for k, v in base.items() if k not in names}
        if value is TWICE:  # .get() sees the valid value, .getlist() both
            return {**base, **{n: ["abc", *(form.fields[n].baseline or ["1"])[:1]] for n in names}}
        return {**base, **{n: [value] for n in names}}

    def send(data, **kwargs):
        return area.send(client, "POST", target, data, check_stored=True, **kwargs)

    names = [f.name for f in fields]
    all_at_once(area, names, build, send, values=SHORT_ALL if later else HOSTILE)
    all_at_once(area, [n for n in names if n in base], build, send, values=[MISSING])
    all_at_once(area, [f.name for f in fields if _duplicated(f)], build, send, values=[TWICE])
    return form


class _Marker(str):
    def __repr__(self):
        return str(self)


MISSING = _Marker("(missing)")
TWICE = _Marker("['abc', <valid>]")


def all_at_once(area, names, build, send, values=HOSTILE):
    """Each value into all ``names`` at once (one request per value), again and again while it answers 5xx:
    each 5xx is narrowed down to the name(s), which are then left out (they would hide the others), also
    from this area's later forms and values."""
    for value in values:
        while True:
            names = [n for n in names if _family_name(n) not in area.crashing]
            if not names:
                return

            def send_subset(subset, record, value=value):
                what = "+".join(subset) if len(subset) < 4 else f"{len(subset)} fields at once"
                return send(build(subset, value), what=what, value=value, record=record)

            if send_subset(names, record=False).status_code < 500:
                break
            culprits = narrow_down(area, names, send_subset)
            area.crashing.update(_family_name(n) for n in culprits)


# -- GET: query parameters and path segments ------------------------------------------------------------------------


def _url(path, params):
    return path + ("?" + urlencode(params, doseq=True) if params else "")


def fuzz_query(area, client, url):
    """Each parameter the page offers (GET forms, its own links) with hostile values on its own; then those
    and the fixed list all at once, one request per hostile value, each 5xx narrowed down."""
    path, _sep, query = url.partition("?")
    base = dict(parse_qsl(query, keep_blank_values=True))
    started = time.perf_counter()
    response = area.send(client, "GET", url, what="(page)")
    expensive = time.perf_counter() - started > 0.5  # a PDF: parameters only in the all-at-once pass
    offered = []
    if response.status_code == 200:
        offered = [n for n in discover_params(page_html(response), url) if n not in base]
    names = list(dict.fromkeys([*offered, *FIXED_PARAMS]))
    area.fields += len(names)
    STATS["params"] += len(names)
    crashing, area.crashing = area.crashing, set()  # per URL: another view may read the same name differently
    for name in [] if expensive else offered:
        for value in QUERY_VALUES:
            area.send(client, "GET", _url(path, {**base, name: value}), what=f"?{name}", value=value)
    all_at_once(
        area,
        [f"?{n}" for n in names],
        lambda subset, value: _url(path, {**base, **{n[1:]: value for n in subset}}),
        lambda target, **kw: area.send(client, "GET", target, **kw),
        values=SHORT_ALL,
    )
    area.crashing |= crashing
    return response


def fuzz_paths(area, client, templates):
    """Each ``{}`` in a URL template replaced by hostile path segments (GET)."""
    for template in templates:
        area.fields += 1
        STATS["segments"] += 1
        for value in PATH_VALUES:
            segment = value if value.startswith("%") else quote(value, safe="")
            url = template.replace("{}", segment)
            area.send(client, "GET", url, what="(path segment)", value=value)


# -- the tests: forms ------------------------------------------------------------------------------------------------


def test_membership_forms(world):
    """Add (pre-filled from the query string, as a group page's editor links to it) and edit a Molde
    membership as rep-molde; add one as the union's representative."""
    area = Area("membership add + edit", watch=((Membership, world.membership.pk),))
    rep = client_for("rep-molde")
    query = urlencode({"group": world.subgroup.pk, "person": world.person.pk, "represents": world.molde.pk})
    fuzz_form(area, rep, snippet_url(Membership, "add") + "?" + query)
    fuzz_form(area, rep, snippet_url(Membership, "edit", world.membership.pk))
    union = client_for("rep-fagforbundet")
    fuzz_form(area, union, snippet_url(Membership, "add") + f"?represents={world.fagforbundet.pk}")
    fuzz_form(area, union, snippet_url(Membership, "edit", world.union_membership.pk))
    area.check()


def test_person_forms(world):
    """Add a person and edit a Molde employee as rep-molde."""
    area = Area("person add + edit", watch=((Person, world.person.pk),))
    rep = client_for("rep-molde")
    fuzz_form(area, rep, snippet_url(Person, "add"))
    fuzz_form(area, rep, snippet_url(Person, "edit", world.person.pk))
    area.check()


def test_our_entries_form():
    """ "Alt stemmer" as rep-molde and as the union's representative."""
    area = Area("Våre oppføringer: Alt stemmer")
    fuzz_form(area, client_for("rep-molde"), "/admin/vare-oppforinger/")
    fuzz_form(area, client_for("rep-fagforbundet"), "/admin/vare-oppforinger/")
    area.check()


def test_group_page_forms(world):
    """Edit a group page rep-molde sits in; add an arbeidsgruppe below it (the URL found by following
    Wagtail's "add child page"); the arbeidsgruppe's edit and a copy of the group page as staff."""
    area = Area("group pages: edit, add arbeidsgruppe, copy", watch=((Page, world.group.pk),))
    rep = client_for("rep-molde")
    fuzz_form(area, rep, f"/admin/pages/{world.group.pk}/edit/")
    response = rep.get(f"/admin/pages/{world.group.pk}/add_subpage/")
    if response.status_code == 302:
        add_url = response["Location"]
    else:
        assert response.status_code == 200, f"add_subpage -> {response.status_code}"
        soup = BeautifulSoup(response.content, "html.parser")
        add_url = soup.find("a", href=re.compile(r"/admin/pages/add/.+/arbeidsgruppepage/"))["href"]
    fuzz_form(area, rep, add_url)
    staff = client_for("redaksjon")
    fuzz_form(area, staff, f"/admin/pages/{world.subgroup.pk}/edit/")
    fuzz_form(area, staff, f"/admin/pages/{world.group.pk}/copy/")
    area.check()


def test_staff_forms(world):
    """Mandates (snippets with a StreamField, drafts and workflow), governing bodies (a ModelViewSet with an
    inline formset) and organisations, as staff."""
    area = Area(
        "staff: mandates, governing bodies, organisations",
        watch=((Mandate, world.mandate_live.pk), (GoverningBody, world.body.pk), (Organisation, world.molde.pk)),
    )
    staff = client_for("redaksjon")
    fuzz_form(area, staff, snippet_url(Mandate, "add"))
    fuzz_form(area, staff, snippet_url(Mandate, "edit", world.mandate_live.pk))
    fuzz_form(area, staff, "/admin/governance/governingbody/new/")
    fuzz_form(area, staff, f"/admin/governance/governingbody/edit/{world.body.pk}/")
    fuzz_form(area, staff, snippet_url(Organisation, "add"))
    fuzz_form(area, staff, snippet_url(Organisation, "edit", world.molde.pk))
    # The accessibility statement: a Wagtail site setting with rich text and dates.
    site = Site.objects.get(is_default_site=True)
    fuzz_form(area, staff, f"/admin/settings/faggruppe_pages/accessibilitystatement/{site.pk}/")
    area.check()


def test_chooser_forms(world):
    """The snippet choosers' ``create/`` endpoints (sent the model's add form) and the page chooser's link
    forms, as rep-molde; the organisation chooser's as staff."""
    area = Area("choosers: create/ and link forms")
    rep = client_for("rep-molde")
    for model, query in ((Person, ""), (Membership, f"?represents={world.molde.pk}&group={world.subgroup.pk}")):
        add = snippet_url(model, "add") + query
        form = parse_form(page_html(rep.get(add)), add)
        fuzz_form(
            area,
            rep,
            add,
            form=form,
            post_to=f"/admin/snippets/choose/faggruppe_pages/{model._meta.model_name}/create/",
        )
    for kind in ("external", "email", "phone", "anchor"):
        fuzz_form(area, rep, f"/admin/choose-{kind}-link/")
    staff = client_for("redaksjon")
    add = snippet_url(Organisation, "add")
    fuzz_form(
        area,
        staff,
        add,
        form=parse_form(page_html(staff.get(add)), add),
        post_to="/admin/snippets/choose/faggruppe_pages/organisation/create/",
    )
    area.check()


def test_login_and_language_forms():
    """The login forms (anonymous), the reader pages' language switch, the admin account's language."""
    area = Area("login, language switch, account")
    anonymous = client_for(None)
    fuzz_form(area, anonymous, "/logg-inn/?next=/faggrupper/")
    # /admin/login/ sends a GET to the one login page; a POST there is the same login form.
    fuzz_form(
        area,
        anonymous,
        "/admin/login/?next=/admin/",
        form=parse_form(page_html(anonymous.get("/logg-inn/?next=/admin/")), "/logg-inn/?next=/admin/"),
        post_to="/admin/login/",
    )
    reader = client_for("leser")
    fuzz_form(area, reader, "/faggrupper/", action_contains="/i18n/")
    fuzz_form(area, client_for("rep-molde"), "/admin/account/")
    area.check()


# -- the tests: query parameters and path segments ---------------------------------------------------------------


def test_admin_queries_representatives(world):
    """Listings (search, filters, ordering, pagination, exports), per-object views, Våre oppføringer, the
    snippet and page choosers, the page explorer and search, bulk actions, reports: as representatives."""
    area = Area("admin GET views: representatives")
    rep = client_for("rep-molde")
    m = world.membership.pk
    for url in (  # (each listing's results/ view is the same view as the listing)
        snippet_url(Membership, ""),
        snippet_url(Membership, "") + "?export=csv",
        snippet_url(Membership, "add"),
        snippet_url(Membership, "history", m),
        snippet_url(Person, ""),
        "/admin/vare-oppforinger/",
        "/admin/snippets/choose/faggruppe_pages/person/",
        "/admin/snippets/choose/faggruppe_pages/membership/",
        "/admin/snippets/choose/faggruppe_pages/person/chosen-multiple/",
        "/admin/velg-gruppe/",
        f"/admin/velg-gruppe/chosen/{world.group.pk}/",
        f"/admin/choose-page/{world.group.pk}/",
        "/admin/choose-page/search/",
        "/admin/pages/search/",
        "/admin/bulk/faggruppe_pages/membership/delete/",
        "/admin/reports/site-history/",
    ):
        fuzz_query(area, rep, url)
    fuzz_query(area, client_for("rep-fagforbundet"), snippet_url(Membership, ""))
    area.check()


def test_admin_queries_staff(world):
    area = Area("admin GET views: staff")
    staff = client_for("redaksjon")
    for url in (
        snippet_url(Organisation, ""),
        snippet_url(Mandate, ""),
        snippet_url(Mandate, "history", world.mandate_live.pk),
        "/admin/governance/governingbody/",
        "/admin/reports/samsvar/",
        "/admin/snippets/choose/governance/mandate/",
        f"/admin/pages/{world.group.pk}/copy/",
        f"/admin/pages/{world.group.pk}/history/",
    ):
        fuzz_query(area, staff, url)
    area.check()


def reader_urls(world):
    group = world.group.url_path.split("/", 2)[-1]  # "faggrupper/oppvekst-og-utdanning/"
    index = "/" + group.split("/")[0] + "/"
    return [
        index,
        f"{index}medlemsoversikt/",
        f"{index}medlemsoversikt/pdf/",
        f"{index}medlemsoversikt/csv/",
        f"{index}medlemsoversikt/xlsx/",
        f"{index}representert/",
        f"{index}representert/{world.molde.slug}/",
        f"{index}mine-grupper/",
        f"{index}person/{world.rep_person.pk}/vcard/",
        f"/{group}",
        f"/{group}medlemmer/csv/",  # (the group's downloads and cards read no parameters: one of them)
        f"/{group}vcard/",
        "/" + world.subgroup.url_path.split("/", 2)[-1],
        "/sok/?q=l%C3%B8nn",  # the search page (its box is in every page's header)
    ]


def test_reader_queries(world):
    """Every reader route and download, as a reader and anonymously (the login page's ``next`` too)."""
    area = Area("reader GET views")
    reader = client_for("leser")
    for url in reader_urls(world):
        fuzz_query(area, reader, url)
    anonymous = client_for(None)
    for url in ["/logg-inn/", "/admin/login/", *reader_urls(world)[:2]]:
        fuzz_query(area, anonymous, url)
    area.check()


def test_path_segments(world):
    """Hostile values for every URL kwarg: ids of snippets, pages, revisions; slugs; download formats."""
    area = Area("path segments")
    m, g = world.membership.pk, world.group.pk
    group = "/" + world.group.url_path.split("/", 2)[-1]
    index = "/" + group.strip("/").split("/")[0] + "/"
    rep = client_for("rep-molde")
    fuzz_paths(
        area,
        rep,
        [
            *(
                snippet_url(Membership, view, "{}")
                for view in ("edit", "delete", "history", "history-results", "inspect", "usage")
            ),
            snippet_url(Membership, "history", m) + "revisions/{}/revert/",
            snippet_url(Membership, "history", m) + "revisions/compare/{}...{}/",
            snippet_url(Person, "edit", "{}"),
            snippet_url(Person, "history", "{}"),
            "/admin/snippets/choose/faggruppe_pages/person/chosen/{}/",
            "/admin/snippets/choose/faggruppe_pages/membership/chosen/{}/",
            "/admin/pages/{}/",
            "/admin/pages/{}/edit/",
            "/admin/pages/{}/add_subpage/",
            "/admin/pages/{}/history/",
            "/admin/pages/add/faggruppe_pages/arbeidsgruppepage/{}/",
            f"/admin/pages/{g}/revisions/{{}}/view/",
            "/admin/choose-page/{}/",
            f"{index}person/{{}}/vcard/",
            f"{group}person/{{}}/vcard/",
            f"{index}representert/{{}}/",
            f"{index}medlemsoversikt/{{}}/",
            f"{group}medlemmer/{{}}/",
            f"{index}{{}}/",
        ],
    )
    staff = client_for("redaksjon")
    fuzz_paths(
        area,
        staff,
        [
            snippet_url(Mandate, "edit", "{}"),
            snippet_url(Mandate, "history", "{}"),
            snippet_url(Mandate, "inspect", "{}"),
            snippet_url(Organisation, "edit", "{}"),
            "/admin/governance/governingbody/edit/{}/",
            "/admin/governance/governingbody/inspect/{}/",
            "/admin/pages/{}/copy/",
            "/admin/snippets/choose/governance/mandate/chosen/{}/",
        ],
    )
    area.check()
