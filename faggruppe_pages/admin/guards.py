"""Make Wagtail's generic admin views check the object, not only the model.

Wagtail asks the permission policy per model in most per-object views (only the
delete view asks per instance), so a representative with "change" on memberships
could open and save any membership by URL. Every per-object view we enable gets
``InstanceGuardMixin``; every listing and chooser is filtered through the policy.
A refusal raises PermissionDenied, which Wagtail's admin answers with a redirect
to the dashboard and a message (a 403 for XHR), before anything is read or saved.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import classproperty
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser, snippets

from faggruppe_pages.admin.boundary import NOT_YOURS, allowed_choices, choosable_people, parse_id
from faggruppe_pages.models import Person
from faggruppe_pages.spreadsheets import SafeSpreadsheetExportMixin


class NoAutosaveMixin:
    """Wagtail 8 autosaves models with revisions while the form is open. For entries that have no
    draft state, an autosave *is* a save: a row would go live before "Lagre" is pressed. So
    nothing is stored until the user saves (pages and mandates keep autosave: their drafts stay
    drafts)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False


class InstanceGuardMixin:
    #: The policy action the user needs on this very object.
    guard_action = "change"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(type(obj))
        if not policy.user_has_permission_for_instance(self.request.user, self.guard_action, obj):
            raise PermissionDenied
        return obj


class GuardedEditView(NoAutosaveMixin, InstanceGuardMixin, snippets.EditView):
    guard_action = "change"


class GuardedDeleteView(InstanceGuardMixin, snippets.DeleteView):
    guard_action = "delete"


class GuardedUsageView(InstanceGuardMixin, snippets.UsageView):
    guard_action = "view"


class GuardedHistoryView(InstanceGuardMixin, snippets.HistoryView):
    guard_action = "view"


class GuardedInspectView(InstanceGuardMixin, snippets.InspectView):
    guard_action = "view"


class GuardedRevisionsCompareView(InstanceGuardMixin, snippets.RevisionsCompareView):
    guard_action = "view"


class GuardedCreateView(NoAutosaveMixin, snippets.CreateView):
    """The form offers only permitted values (boundary.py); the object about to be saved is checked once
    more, as a whole (Wagtail saves it, its revision and log entry, and the page rights that follow it
    through signals.py, in one transaction)."""

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        policy = policy_registry.get_by_type(self.model)
        if not policy.user_has_permission_for_instance(self.request.user, "add", form.instance):
            form.add_error(None, NOT_YOURS)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return False
        return True


class QueryPrefillMixin:
    """For an add view: pre-select ``prefill_fields`` from the query string, as linked from another page (a
    group page's editor, the start page). Only on GET, and only a value the form would accept from this user
    (boundary.py): the query string can pre-select, never widen what may be chosen."""

    prefill_fields = ()

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        if self.request.method != "GET":
            return instance
        for field in self.prefill_fields:
            pk = parse_id(self.request.GET.get(field, ""))
            if pk is None:
                continue
            allowed, _message = allowed_choices(self.request.user, self.model, field)
            if allowed.filter(pk=pk).exists():
                setattr(instance, f"{field}_id", pk)
        return instance


class SafeExportIndexView(SafeSpreadsheetExportMixin, snippets.IndexView):
    """The listing; its CSV/XLSX download neutralises formulas like every export of the portal."""


# -- choosers: list and return only rows the user may act on (or, for people, choose) -------------------
def _permitted(view):
    if view.model_class is Person:
        # The person chooser serves the membership form's person field: the same rows it accepts.
        return choosable_people(view.request.user)
    policy = policy_registry.get_by_type(view.model_class)
    return policy.instances_user_has_any_permission_for(view.request.user, ["change", "view"])


class GuardedChooseView(chooser.ChooseView):
    def get_object_list(self):
        return _permitted(self)


class GuardedChooseResultsView(chooser.ChooseResultsView):
    def get_object_list(self):
        return _permitted(self)


class GuardedChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        pk = parse_id(pk)
        if pk is None:
            raise Http404
        return _permitted(self).get(pk=pk)


class GuardedChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _permitted(self).filter(pk__in=[pk for pk in map(parse_id, pks) if pk is not None])


class NoCreateInChooserView(chooser.SnippetCreateView):
    """Our choosers offer no "create" tab; a POST to its address is a 404, not a server error."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class NoCreateChooserViewSet(chooser.SnippetChooserViewSet):
    """A staff model's chooser (organisations): Wagtail's own, without the "create" endpoint."""

    create_view_class = NoCreateInChooserView


class GuardedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = GuardedChooseView
    choose_results_view_class = GuardedChooseResultsView
    chosen_view_class = GuardedChosenView
    chosen_multiple_view_class = GuardedChosenMultipleView
    create_view_class = NoCreateInChooserView


class GuardedSnippetViewSet(snippets.SnippetViewSet):
    """A SnippetViewSet whose every enabled view respects the policy per instance."""

    index_view_class = SafeExportIndexView
    add_view_class = GuardedCreateView
    edit_view_class = GuardedEditView
    delete_view_class = GuardedDeleteView
    usage_view_class = GuardedUsageView
    history_view_class = GuardedHistoryView
    inspect_view_class = GuardedInspectView
    revisions_compare_view_class = GuardedRevisionsCompareView
    # revisions_revert_view_class is built by Wagtail from edit_view_class, so it is guarded too.
    chooser_viewset_class = GuardedChooserViewSet
    copy_view_enabled = False
    inspect_view_enabled = True

    #: select_related for the listing, so its query count does not grow with the rows.
    list_select_related = ()

    def get_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        queryset = policy.instances_user_has_any_permission_for(request.user, ["change", "view"])
        return queryset.select_related(*self.list_select_related)


# -- bulk delete: never name rows the user may not act on --------------------------------------
class GuardedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's snippet bulk delete lists the rows a user may not delete by name on its
    confirmation page; this one refuses users without delete rights outright and only
    ever loads the rows the policy lets the user delete."""

    @classproperty
    def models(cls):
        return [Person]

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "delete"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, model, object_ids):
        permitted = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["delete"])
        return list(permitted.filter(pk__in=list(object_ids)))
