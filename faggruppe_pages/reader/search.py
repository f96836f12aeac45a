"""Search for readers: what can be found, in which groups of hits, and how a hit is shown (the page: search_views).

Every kind of thing that can be found is a ``SearchSource``: a model indexed with Wagtail's search
(``search_fields``), the queryset of what readers may read (the backend searches within it, so a draft, an
unpublished measure or a hidden phone number is never found), how to load the hits for showing them (with what
they show, in a fixed number of queries) and how one hit is shown. This add-on registers its own kinds (groups,
people, organisations); other add-ons register theirs through ``SEARCH_SOURCES_HOOK`` without this app knowing them
(governance: mandates, meetings, measures, proposals).

A query is cut into words (letters and digits; everything else is a separator, so no search syntax reaches the
backend). Each kind is searched twice and the hits merged, prefix hits first: ``autocomplete`` (the last word as a
prefix: "lønn" finds "Lønn og personal", "Hjel" finds "Hilde Hjelle") and ``search`` (whole words; on PostgreSQL
stemmed with the Norwegian configuration: "kommuner" finds "kommunene"). The matched words are marked in the title
and a snippet, escaped (``highlight``).
"""

import dataclasses
import re
from collections.abc import Callable, Iterable

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.search.backends import get_search_backend

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppeIndexPage, GroupPage, Membership, Organisation, Person

#: Other add-ons' kinds of hits: ``fn() -> iterable of SearchSource`` (governance: mandates, meetings, measures,
#: proposals). A source's ``order`` places its heading among the others.
SEARCH_SOURCES_HOOK = "faggruppe_pages_search_sources"

#: The longest query the search page accepts (characters).
MAX_QUERY_LENGTH = 200
#: The most words taken from a query.
MAX_TERMS = 12
#: Hits shown per kind; more are announced ("the first 20 of more").
HITS_PER_KIND = 20
#: The length of a snippet around the first matched word (characters).
SNIPPET_LENGTH = 180

WORD = re.compile(r"\w+", re.UNICODE)


class QueryError(ValueError):
    """A query that cannot be searched for; the message is for the reader."""


@dataclasses.dataclass
class Hit:
    """One thing found, as the results page shows it: plain text (``highlight`` escapes and marks it)."""

    title: str
    url: str = ""
    #: A short line under the title: kind, organisation, status …
    meta: str = ""
    #: Longer texts the snippet is cut from, the first containing a matched word winning.
    texts: tuple = ()
    #: Extra links (label, url), e.g. a person's contact card when there is no person page.
    links: tuple = ()


@dataclasses.dataclass(frozen=True)
class SearchSource:
    """A kind of thing readers can find."""

    key: str
    heading: str | Promise
    order: int
    #: () -> the queryset of what readers may read; searched by the backend (its filters are FilterFields).
    readable: Callable
    #: (ids, context) -> {id: object} with what ``hit`` shows loaded (a fixed number of queries).
    load: Callable
    #: (object, context) -> Hit.
    hit: Callable


@dataclasses.dataclass
class SearchContext:
    """What the sources share within one search: the request, and things looked up once (``cache``)."""

    request: object
    cache: dict = dataclasses.field(default_factory=dict)

    def once(self, key, fn):
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


@dataclasses.dataclass
class Group:
    """The hits of one kind."""

    source: SearchSource
    hits: list
    more: bool


# -- the query --------------------------------------------------------------------------------------------------
def parse_query(raw):
    """The words of a query, lowercased; raises QueryError with the reader's message."""
    raw = (raw or "").strip()
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(_("The search is too long: write at most %(limit)s characters.") % {"limit": MAX_QUERY_LENGTH})
    terms = [term.lower() for term in WORD.findall(raw.replace("_", " "))]
    if raw and not terms:
        raise QueryError(_("Write at least one letter or digit to search for."))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


# -- the sources ------------------------------------------------------------------------------------------------
def sources():
    """Every kind of hit, in the order of their headings."""
    found = list(_own_sources())
    for fn in hooks.get_hooks(SEARCH_SOURCES_HOOK):
        found.extend(fn())
    return sorted(found, key=lambda source: source.order)


def search(raw_query, request, only=None):
    """``[Group]`` of hits for the query, kinds without hits left out; ``only``: the keys of the kinds to search."""
    terms = parse_query(raw_query)
    if not terms:
        return []
    query = " ".join(terms)
    backend = get_search_backend()
    context = SearchContext(request)
    groups = []
    for source in sources():
        if only is not None and source.key not in only:
            continue
        ids = _ids(backend, query, source)
        if not ids:
            continue
        shown = ids[:HITS_PER_KIND]
        loaded = source.load(shown, context)
        hits = [source.hit(loaded[pk], context) for pk in shown if pk in loaded]
        if hits:
            groups.append(Group(source, [highlighted(hit, terms) for hit in hits], more=len(ids) > HITS_PER_KIND))
    return groups


def _ids(backend, query, source):
    """The ids of the hits, prefix hits first, then whole-word (stemmed) hits; at most one more than is shown."""
    limit = HITS_PER_KIND + 1
    ids = [obj.pk for obj in backend.autocomplete(query, source.readable())[:limit]]
    ids += [obj.pk for obj in backend.search(query, source.readable())[:limit]]
    return list(dict.fromkeys(ids))[:limit]


# -- highlighting -----------------------------------------------------------------------------------------------
def _stems(terms):
    """What a word must start with to count as matched: the term, or for longer terms the term less its ending
    (the stemmed search finds "kommunene" for "kommuner")."""
    stems = set()
    for term in terms:
        stems.add(term)
        if len(term) >= 6:
            stems.add(term[:-2])
    return stems


def _matches(text, stems):
    """(start, end) of each word of ``text`` that starts with one of ``stems``."""
    return [m.span() for m in WORD.finditer(text) if any(m.group().lower().startswith(s) for s in stems)]


def mark(text, stems, spans=None):
    """``text`` escaped, the matched words wrapped in <mark>."""
    text = str(text or "")
    spans = _matches(text, stems) if spans is None else spans
    out, last = [], 0
    for start, end in spans:
        out.append(conditional_escape(text[last:start]))
        out.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(str(part) for part in out))  # noqa: S308 - every part is escaped above


def snippet(texts, stems, length=SNIPPET_LENGTH):
    """A piece of the first text that has a matched word, around that word, marked; else the start of the first."""
    texts = [" ".join(str(t).split()) for t in texts if t and str(t).strip()]
    if not texts:
        return ""
    for text in texts:
        spans = _matches(text, stems)
        if spans:
            break
    else:
        text, spans = texts[0], []
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = len(text)
    if end - start > length:
        cut = text.rfind(" ", start, start + length)
        end = cut if cut > start else start + length
    piece = text[start:end]
    spans = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    marked = mark(piece, stems, spans)
    return mark_safe(("…" if start else "") + marked + ("…" if end < len(text) else ""))  # noqa: S308


def highlighted(hit, terms):
    """The hit as the template shows it: title and snippet marked and escaped."""
    stems = _stems(terms)
    return {
        "title": mark(hit.title, stems),
        "url": hit.url,
        "meta": hit.meta,
        "snippet": snippet(hit.texts, stems),
        "links": hit.links,
    }


# -- this add-on's kinds ----------------------------------------------------------------------------------------
def stream_text(obj, name):
    """The text of a StreamField (or rich text field) as the search index reads it."""
    field = obj._meta.get_field(name)
    return " ".join(str(part) for part in field.get_searchable_content(getattr(obj, name)))


def _overview(context):
    return context.once("overview", lambda: FaggruppeIndexPage.objects.live().first())


def _readable_groups():
    return GroupPage.objects.live()


def _load_groups(ids, context):
    pages = GroupPage.objects.filter(pk__in=ids).specific().select_related("successor")
    return {page.pk: page for page in pages}


def _group_hit(page, context):
    if isinstance(page, ArbeidsgruppePage):
        meta = page.get_kind_display()
        texts = (page.purpose, page.assignment, page.area, stream_text(page, "body"))
    else:
        meta = capfirst(page._meta.verbose_name)
        texts = (page.purpose, page.area, stream_text(page, "body"))
    if page.is_closed:
        meta = _("%(kind)s, closed") % {"kind": meta}
    return Hit(title=page.title, url=page.get_url(context.request), meta=str(meta), texts=texts)


def _readable_people():
    """People on a published group's member list (now or earlier), as the contact cards allow; never anonymised."""
    listed = Membership.objects.filter(group__live=True).values("person_id")
    return Person.objects.filter(anonymised_at__isnull=True, pk__in=listed)


def _load_people(ids, context):
    seats = Membership.objects.active_on().filter(group__live=True).select_related("group").order_by("group__title")
    people = Person.objects.filter(pk__in=ids).select_related("employer")
    people = list(people.prefetch_related(Prefetch("memberships", queryset=seats, to_attr="search_seats")))
    # Every person's page address at once (a fixed number of queries, not two per hit).
    Person.mark_pages(people, index=_overview(context), request=context.request)
    return {person.pk: person for person in people}


def person_url(person, context):
    """The person's page (``Person.get_absolute_url``; "" if they have none)."""
    return person.get_absolute_url()


def _person_hit(person, context):
    meta = ", ".join(part for part in (person.job_title, person.employer.name) if part)
    groups = list(dict.fromkeys(m.group.title for m in person.search_seats))
    texts = (_("Sits in: %(groups)s") % {"groups": ", ".join(groups)},) if groups else ()
    url, links = person_url(person, context), ()
    overview = _overview(context)
    if not url and overview is not None:
        vcard = overview.get_url(context.request) + overview.reverse_subpage("person_vcard", kwargs={"pk": person.pk})
        links = ((_("Contact card (vCard)"), vcard),)
    return Hit(title=person.name, url=url, meta=meta, texts=texts, links=links)


def _readable_organisations():
    return Organisation.objects.all()


def _load_organisations(ids, context):
    return Organisation.objects.in_bulk(ids)


def _organisation_hit(organisation, context):
    overview = _overview(context)
    url = ""
    if overview is not None:
        url = overview.get_url(context.request) + overview.reverse_subpage(
            "representation", kwargs={"slug": organisation.slug}
        )
    meta = organisation.get_kind_display()
    if organisation.short_name and organisation.short_name != organisation.name:
        meta = f"{organisation.short_name} · {meta}"
    return Hit(title=organisation.name, url=url, meta=str(meta))


def _own_sources() -> Iterable[SearchSource]:
    return (
        SearchSource("groups", _("Groups"), 10, _readable_groups, _load_groups, _group_hit),
        SearchSource("people", _("People"), 20, _readable_people, _load_people, _person_hit),
        SearchSource(
            "organisations", _("Organisations"), 30, _readable_organisations, _load_organisations, _organisation_hit
        ),
    )
