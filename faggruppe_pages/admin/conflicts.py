"""No silent overwrite: a form loaded before someone else's save is refused, with who, what and when.

Wagtail 8 compares ``loaded_revision_id`` only for autosave, and only for models with revisions.
Here every admin form of the add-ons (memberships, people, organisations, group pages, mandates,
governing bodies) carries a fingerprint of what it showed: one short hash per field it edits (and per
inline child list). It is taken from the form's instance *before* the posted data is applied, which is
exactly what the editor shows: the database row, or the latest revision for pages and mandates. On
save, the fingerprint of the same instance as it is *now* is compared with the posted one. A field
that differs was changed by someone else since the form was loaded; the save is refused with the
name of whoever saved last, when, and which fields changed, and the user's input stays in the form.
The refused form carries the new fingerprint, so saving it again is a deliberate overwrite.

A post without a fingerprint (a script, an old tab from before this existed) is not checked, as in
Wagtail: there is nothing to compare. Browsers always send it.
"""

import copy
import hashlib
import json

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "loaded_state"

#: Wagtail's page comments are a conversation, not content: a new comment is no conflict.
_IGNORED_FORMSETS = {"comments"}

CONFLICT = _(
    "%(who)s saved this %(what)s %(when)s, after you opened it, and changed: %(fields)s. Nothing was saved. "
    "What you entered is still in the form: check the marked fields and save again to keep your version."
)
FIELD_CHANGED = _("Changed by %(who)s; now saved: “%(value)s”.")
FIELD_ADOPTED = _("Changed by %(who)s to “%(value)s”; you had not changed it, so the new value is filled in.")
FIELD_CHANGED_NO_VALUE = _("Changed by %(who)s since you opened the form.")
SOMEONE = _("someone else")


def _digest(text):
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _field_text(instance, field):
    """A stable text for one model field's value on ``instance``."""
    if field.many_to_many:
        manager = getattr(instance, field.name)
        # .all(), not .values_list: a ParentalManyToManyField read from a revision is an in-memory queryset.
        return json.dumps(sorted(str(obj.pk) for obj in manager.all())) if instance.pk else "[]"
    if field.is_relation:
        return str(getattr(instance, field.attname))
    return field.value_to_string(instance)


def fingerprint(form):
    """{name: hash} of what ``form`` edits, read from its instance as it is now."""
    instance = form.instance
    opts = instance._meta
    result = {}
    for name in form.fields:
        if name == FIELD_NAME:
            continue
        try:
            field = opts.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field has no stored value to compare
            continue
        if not getattr(field, "concrete", False) and not field.many_to_many:
            continue
        result[name] = _digest(_field_text(instance, field))
    for name, formset in getattr(form, "formsets", {}).items():
        if name in _IGNORED_FORMSETS:
            continue
        rows = []
        for child in formset.get_queryset():
            values = {f: _field_text(child, child._meta.get_field(f)) for f in formset.form._meta.fields or ()}
            rows.append([str(child.pk), values])
        result[name] = _digest(json.dumps(rows, sort_keys=True))
    return result


def encode(state):
    return ",".join(f"{name}={value}" for name, value in sorted(state.items()))


def decode(text):
    state = {}
    for part in (text or "").split(","):
        name, sep, value = part.partition("=")
        if sep:
            state[name] = value
    return state


def _user_name(user):
    return (user.get_full_name() or user.get_username()) if user else SOMEONE


def _when(moment):
    return date_format(timezone.localtime(moment), gettext("j M Y, H:i")) if moment is not None else ""


def last_change(instance):
    """(who, when) of the latest logged change to ``instance`` (log entries; else its latest revision)."""
    from wagtail.log_actions import registry

    entry = registry.get_logs_for_instance(instance).order_by("-timestamp", "-pk").first()
    if entry is not None:
        return entry.user_display_name or SOMEONE, entry.timestamp
    revision = getattr(instance, "latest_revision", None)
    if revision is not None:
        return _user_name(revision.user), revision.created_at
    return SOMEONE, None


def _shown_value(form, name):
    """The value now saved, as a person reads it; None where a value would not help (long text, blocks)."""
    instance = form.instance
    try:
        field = instance._meta.get_field(name)
    except Exception:  # noqa: BLE001 - inline lists
        return None
    from wagtail.fields import StreamField

    if field.many_to_many or not field.concrete or isinstance(field, (models.TextField, StreamField)):
        return None
    if field.is_relation:
        value = getattr(instance, name)
    elif field.choices:
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class ConflictGuardFormMixin:
    """Refuses a save from a form loaded before someone else's save (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD_NAME] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk is None:
            return
        # Before the posted data touches the instance: what the editor shows right now.
        self._current_state = fingerprint(self)
        self.fields[FIELD_NAME].initial = encode(self._current_state)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.is_bound:
            return cleaned_data
        key = self.add_prefix(FIELD_NAME)
        loaded = decode(self.data.get(key))
        if not loaded:
            return cleaned_data
        changed = [name for name, value in self._current_state.items() if name in loaded and loaded[name] != value]
        if changed:
            self._refuse(changed, loaded, key)
        return cleaned_data

    def _refuse(self, changed, loaded, key):
        who, when = last_change(self.instance)
        self.data = self.data.copy()
        labels = []
        for name in changed:
            if name in self.fields:
                labels.append(str(self.fields[name].label or capfirst(name)))
                value = _shown_value(self, name)
                if self._untouched(name, loaded) and self._adopt_saved_value(name):
                    message = FIELD_ADOPTED % {"who": who, "value": value}
                elif value is not None:
                    message = FIELD_CHANGED % {"who": who, "value": value}
                else:
                    message = FIELD_CHANGED_NO_VALUE % {"who": who}
                self.add_error(name, message)
            else:  # an inline list
                formset = self.formsets[name]
                labels.append(str(capfirst(formset.model._meta.verbose_name_plural)))
        self.add_error(
            None,
            CONFLICT
            % {"who": who, "what": self.instance._meta.verbose_name, "when": _when(when), "fields": ", ".join(labels)},
        )
        # Saving this form again is a deliberate overwrite of what is saved now.
        self.data[key] = encode(self._current_state)

    def _untouched(self, name, loaded):
        """Whether the user left this field as the form showed it (its posted value hashes as loaded)."""
        if name not in self.cleaned_data:
            return False
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return False
        probe = copy.copy(self.instance)
        field.save_form_data(probe, self.cleaned_data[name])
        return loaded.get(name) == _digest(_field_text(probe, field))

    def _adopt_saved_value(self, name):
        """Put the value saved by the other person into a field the user did not touch (simple widgets only)."""
        widget = self.fields[name].widget
        if isinstance(widget, forms.MultiWidget) or getattr(widget, "allow_multiple_selected", False):
            return False
        key = self.add_prefix(name)
        value = self.fields[name].prepare_value(self.get_initial_for_field(self.fields[name], name))
        if isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
            return True
        if not isinstance(widget, (forms.widgets.Input, forms.Textarea, forms.Select)) or isinstance(
            widget, forms.FileInput
        ):
            return False
        self.data[key] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
        return True


# -- approving from the dashboard or the workflow modal ------------------------------------------------------

STALE_APPROVAL = _(
    "%(who)s changed “%(title)s” %(when)s, after it was sent for approval. Nothing was approved: "
    "open it, check the changes and approve again."
)
#: Workflow actions that publish what they approve.
PUBLISHING_ACTIONS = ("approve",)


def refuse_stale_approval(request, match):
    """Refuse approving (from the dashboard or the workflow modal) content changed since it was sent for approval.

    Wagtail publishes the *latest* revision when a workflow finishes, not the one the reviewer was
    shown. The edit form is guarded by ``ConflictGuardFormMixin``; this is the other way to approve.
    Returns a response, or None to let the view run.
    """
    if request.method != "POST" or not match.view_name.endswith(":workflow_action"):
        return None
    if match.kwargs.get("action_name") not in PUBLISHING_ACTIONS:
        return None
    from wagtail.models import TaskState

    task_state = TaskState.objects.select_related("revision").filter(pk=match.kwargs.get("task_state_id")).first()
    if task_state is None or task_state.revision is None:
        return None
    obj = task_state.revision.content_object
    latest = getattr(obj, "latest_revision", None)
    if latest is None or latest.pk == task_state.revision_id:
        return None
    from django.contrib import messages
    from django.shortcuts import redirect
    from wagtail.admin.admin_url_finder import AdminURLFinder
    from wagtail.admin.modal_workflow import render_modal_workflow

    title = obj.get_admin_display_title() if hasattr(obj, "get_admin_display_title") else str(obj)
    messages.error(
        request, STALE_APPROVAL % {"who": _user_name(latest.user), "title": title, "when": _when(latest.created_at)}
    )
    url = AdminURLFinder(request.user).get_edit_url(obj) or "/admin/"
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return render_modal_workflow(request, None, None, None, json_data={"step": "success", "redirect": url})
    return redirect(url)
