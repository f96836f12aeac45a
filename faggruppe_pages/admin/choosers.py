"""The choosers of the membership form: whom a seat is for, and in which group.

Both are flat, searchable lists of exactly the rows the form accepts from the user (``boundary.py``:
``choosable_people``, ``choosable_groups``), in one query per page whatever their number:

- people: name, job title, employer (and unit), e-mail; a search matches any of them, in part and
  whatever the case ("hjel" finds Hilde Hjelle, "molde" Molde's employees);
- groups: the active faggrupper, each followed by its arbeidsgrupper, with the faggruppe each
  arbeidsgruppe belongs to; closed groups only on request. Not the page tree.

The widgets name only what the field accepts: a forged id sent back with a form that fails
validation shows no other organisation's person and no group the user may not choose.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Length, Lower, Substr
from django.http import Http404
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as generic
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser
from wagtail.models import Page
from wagtail.snippets.widgets import AdminSnippetChooser

from faggruppe_pages.admin.boundary import choosable_groups, choosable_people, parse_id
from faggruppe_pages.admin.guards import (
    GuardedChooseResultsView,
    GuardedChooserViewSet,
    GuardedChooseView,
    NoCreateInChooserView,
)
from faggruppe_pages.models import ArbeidsgruppePage, GroupPage, GroupStatus, Person
from faggruppe_pages.permissions import is_staff_for, represented_organisation_ids
from faggruppe_pages.upkeep.privacy import mark_contact_state

#: Rows per page of a chooser: a municipality's people fit on a page or two.
PER_PAGE = 50
#: Words of a search that count (each must match); more are ignored, so a query stays small.
MAX_WORDS = 6


# -- search: every word in some field, in part, whatever the case -----------------------------------------
def _spellings(word):
    """SQLite folds the case of ASCII letters only (PostgreSQL of all), so a word with æ, ø or å is
    also tried in lower case, upper case and capitalised: "ålesund" finds "Ålesund" on both."""
    if word.isascii():
        return [word]
    return list(dict.fromkeys([word, word.lower(), word.upper(), word.capitalize()]))


def matching(query, fields):
    """A Q: every word of ``query`` is part of at least one of ``fields``."""
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        any_field = Q()
        for spelling in _spellings(word):
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": spelling})
        condition &= any_field
    return condition


class SearchForm(BaseFilterForm):
    """The search box (``#id_q``: Wagtail's chooser modal searches as you type in it)."""

    search_fields = ()
    placeholder = _("Search")

    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": self.placeholder, "autocomplete": "off"})

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(matching(query, self.search_fields))
        return objects


# -- widgets that name only what the field accepts ------------------------------------------------------------
class BoundedChooserMixin:
    """A chooser widget names the chosen row only if the form field would accept it.

    Django gives a ``ModelChoiceField``'s widget the field's choices (``widget.choices.queryset`` is
    the field's queryset, which ``BoundaryFormMixin`` limits to what the user may point at, plus the
    value the row holds already). Without this, a foreign id posted with a form that fails validation
    would be shown back with the name of the row it points at.
    """

    def get_instance(self, value):
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None or value is None or isinstance(value, self.model_class):
            return super().get_instance(value)
        pk = parse_id(str(value))
        return None if pk is None else queryset.filter(pk=pk).first()


class PersonChooser(BoundedChooserMixin, AdminSnippetChooser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail formats its button texts once, in the language of the request that first builds the form;
        # these are formatted when shown, in the reader's language.
        self.choose_one_text = _per_request("Choose %(object)s", self.model)
        self.choose_another_text = _per_request("Choose another %(object)s", self.model)


def _per_request(message, model):
    return lazy(lambda: gettext(message) % {"object": model._meta.verbose_name}, str)()


class GroupChooser(BoundedChooserMixin, BaseChooser):
    # The membership form chooses a group; editing the group's page is not its business.
    show_edit_link = False


# -- people ---------------------------------------------------------------------------------------------------
class PersonSearchForm(SearchForm):
    search_fields = ("name", "email", "job_title", "unit", "employer__name", "employer__short_name")
    placeholder = _("Name, e-mail, job title or employer")


#: Wagtail's results, with messages that speak of people and groups, not of "snippets".
RESULTS_TEMPLATE = "faggruppe_pages/admin/chooser_results.html"


class PersonChooseMixin:
    filter_form_class = PersonSearchForm
    results_template_name = RESULTS_TEMPLATE
    ordering = ("name", "pk")

    def get_object_list(self):
        # Anonymised former members ("Tidligere medlem") are no one to register a seat for.
        return choosable_people(self.request.user).filter(anonymised_at__isnull=True).select_related("employer")

    def owns(self, person):
        """Whether the user acts for the person's employer (staff: for every employer)."""
        if not hasattr(self, "_own_employers"):
            user = self.request.user
            self._own_employers = None if is_staff_for(user, Person) else represented_organisation_ids(user)
        return self._own_employers is None or person.employer_id in self._own_employers

    def get_results_page(self, request):
        results = super().get_results_page(request)
        results.object_list = list(results.object_list)
        # A union's representatives choose other organisations' employees; for them, as for readers,
        # a former member's e-mail is gone once its retention time has run out (docs/privacy.md).
        mark_contact_state([p for p in results.object_list if not self.owns(p)])
        return results

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Name")
        return column

    @property
    def columns(self):
        return [
            *super().columns,
            Column("job_title", label=_("Job title")),
            Column("employer", label=_("Employer"), accessor=employer_label),
            Column("email", label=_("E-mail"), accessor=self.email_of),
        ]

    def email_of(self, person):
        return person.email if self.owns(person) else person.reader_email


def employer_label(person):
    return f"{person.employer.name}, {person.unit}" if person.unit else person.employer.name


class PersonChooseView(PersonChooseMixin, GuardedChooseView):
    pass


class PersonChooseResultsView(PersonChooseMixin, GuardedChooseResultsView):
    pass


class PersonChooserViewSet(GuardedChooserViewSet):
    """The person chooser of the membership form (the snippet chooser of people)."""

    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    base_widget_class = PersonChooser
    # Wagtail's ChooserViewSet translates its default title when imported (Bokmål, "Velg"): translate it per request.
    page_title = _("Choose")


# -- groups ---------------------------------------------------------------------------------------------------
class GroupSearchForm(SearchForm):
    search_fields = ("title", "faggruppe_title")
    placeholder = _("Group or faggruppe")

    include_closed = forms.BooleanField(
        label=_("Also show closed groups"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-chooser-modal-search-filter": True}),
    )


def arbeidsgruppe_type_id():
    return ContentType.objects.get_for_model(ArbeidsgruppePage).pk


def groups_for_choosing(user):
    """``choosable_groups(user)`` with what the list shows and sorts by, in the same query: the
    faggruppe an arbeidsgruppe belongs to (its parent page, if the user may choose it too)."""
    is_arbeidsgruppe = Q(content_type_id=arbeidsgruppe_type_id())
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    parent_title = choosable_groups(user).filter(path=parent_path).values("title")[:1]
    return choosable_groups(user).annotate(
        faggruppe_title=Case(When(is_arbeidsgruppe, then=Subquery(parent_title)), output_field=CharField()),
        faggruppe_path=Case(
            When(is_arbeidsgruppe, then=Substr("path", 1, Length("path") - Page.steplen)),
            default=F("path"),
            output_field=CharField(),
        ),
    )


#: Each faggruppe, then its arbeidsgrupper, alphabetically (as the reader pages list them).
GROUP_ORDER = (
    Lower(Coalesce("faggruppe_title", "title")),
    "faggruppe_path",
    "depth",
    Lower("title"),
    "pk",
)


class GroupChooseMixin:
    filter_form_class = GroupSearchForm
    results_template_name = RESULTS_TEMPLATE
    ordering = GROUP_ORDER
    icon = "group"

    def get_object_list(self):
        return groups_for_choosing(self.request.user)

    @property
    def include_closed(self):
        form = self.filter_form
        return form.is_valid() and form.cleaned_data.get("include_closed")

    def filter_object_list(self, objects):
        objects = super().filter_object_list(objects)
        if not self.include_closed:
            # Closed groups take no new seats; the form still shows a seat's saved group, closed or not.
            objects = objects.filter(status=GroupStatus.ACTIVE)
        return objects

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Group")
        column.accessor = "title"
        return column

    @property
    def columns(self):
        columns = [
            *super().columns,
            Column("type", label=_("Type"), accessor=group_type),
            Column("faggruppe_title", label=_("Belongs to")),
        ]
        if self.include_closed:
            columns.append(Column("status", label=_("Status"), accessor="get_status_display"))
        return columns


def group_type(group):
    """The page type's name, "Faggruppe" or "Arbeidsgruppe" (no query: content types are cached)."""
    model = ContentType.objects.get_for_id(group.content_type_id).model_class()
    return capfirst(model._meta.verbose_name)


class GroupChooseView(GroupChooseMixin, generic.ChooseView):
    pass


class GroupChooseResultsView(GroupChooseMixin, generic.ChooseResultsView):
    pass


class GroupChosenView(generic.ChosenView):
    """Returns only a group the user may choose: any other id, or a malformed one, is a 404."""

    def get_object(self, pk):
        pk = parse_id(pk)
        if pk is None:
            raise Http404
        return choosable_groups(self.request.user).get(pk=pk)


class GroupChosenMultipleView(generic.ChosenMultipleView):
    def get_objects(self, pks):
        ids = [pk for pk in map(parse_id, pks) if pk is not None]
        return choosable_groups(self.request.user).filter(pk__in=ids)


class GroupChooserViewSet(ChooserViewSet):
    """The group chooser of the membership form (registered in wagtail_hooks, used in snippets.py)."""

    model = GroupPage
    icon = "group"
    choose_one_text = _("Choose a group")
    choose_another_text = _("Choose another group")
    page_title = _("Choose a group")
    per_page = PER_PAGE
    choose_view_class = GroupChooseView
    choose_results_view_class = GroupChooseResultsView
    chosen_view_class = GroupChosenView
    chosen_multiple_view_class = GroupChosenMultipleView
    create_view_class = NoCreateInChooserView
    base_widget_class = GroupChooser
    # Only the membership form uses it: other forms pointing at groups (mandates) keep their own.
    register_widget = False


group_chooser_viewset = GroupChooserViewSet("faggruppe_pages_group_chooser", url_prefix="velg-gruppe")
GroupChooserWidget = group_chooser_viewset.widget_class


def register_group_chooser():
    """For the ``register_admin_viewset`` hook."""
    return group_chooser_viewset
