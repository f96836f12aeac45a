"""Updating an organisation's entries from a spreadsheet, reached from "Våre oppføringer".

Download the current entries (XLSX), upload an edited XLSX or CSV, see what would change, then confirm
or cancel. ``upkeep/bulk.py`` does the work; this module answers HTTP and decides who may:
- the organisation is one the user acts for (``permissions.organisations_user_acts_for``); another one,
  typed or forged in ``?organisation=`` or the form, is refused like in "Våre oppføringer";
- what a row may point at is what the membership form offers the same user (``admin/boundary.py``);
- an upload is its uploader's alone: anyone else, staff too, gets a 404 for it and changes nothing.
Nothing is saved on upload; confirming applies all accepted rows in one transaction, or nothing.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter

from faggruppe_pages.admin import entries
from faggruppe_pages.admin.boundary import allowed_choices
from faggruppe_pages.admin.entries import our_entries_url
from faggruppe_pages.models import BulkUpload, Membership
from faggruppe_pages.permissions import organisations_user_acts_for
from faggruppe_pages.reader.exports import XLSX_TYPE, download
from faggruppe_pages.reader.exports.entries import entries_xlsx
from faggruppe_pages.upkeep import bulk
from faggruppe_pages.upkeep.bulk_files import COLUMNS, MAX_BYTES, MAX_ROWS, UploadError, read_table

#: Ids no database row can have are not looked up (SQLite overflows on them).
_MAX_ID = 2**63 - 1


def too_many_message():
    return _(
        "The file would save more than %(limit)s new, changed or ended entries at once. Split it into smaller "
        "files; nothing was saved."
    ) % {"limit": bulk.MAX_CHANGES}


def pointable(user):
    """The people and groups a row may name: what the membership form's fields accept from ``user``."""
    people, _message = allowed_choices(user, Membership, "person")
    groups, _message = allowed_choices(user, Membership, "group")
    return {"people": people, "groups": groups}


def breadcrumbs(view):
    """Hjem › Våre oppføringer › the page (Wagtail's header shows the last one as the page's title)."""
    return [
        *view.breadcrumbs_items,
        {"url": our_entries_url(view.organisation), "label": entries.OurEntriesView.page_title},
        {"url": "", "label": view.page_title},
    ]


class OrganisationMixin(entries.OrganisationMixin):
    """The organisation worked on, as on "Våre oppføringer"; old uploads are cleared on the way in."""

    def dispatch(self, request, *args, **kwargs):
        bulk.expire_uploads()
        return super().dispatch(request, *args, **kwargs)


class BulkDownloadView(OrganisationMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        content = entries_xlsx(bulk.current_entries(self.organisation, today))
        return download(content, XLSX_TYPE, f"oppforinger-{self.organisation.slug}-{today.isoformat()}.xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        error_messages={
            "required": gettext_lazy("Choose a file to upload."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("No file was received. Choose the file again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file (; or , between columns), at most %(mb)s MB and %(rows)s rows."
        ) % {"mb": MAX_BYTES // 1024 // 1024, "rows": MAX_ROWS}


class BulkUploadView(OrganisationMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "faggruppe_pages/admin/bulk/upload.html"
    form_class = UploadForm
    page_title = gettext_lazy("Update from a spreadsheet")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return breadcrumbs(self)

    http_method_names = ["get", "post", "head"]

    def get_page_subtitle(self):
        return self.organisation.display_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.organisation,
            organisations=self.organisations,
            columns=COLUMNS,
            max_rows=MAX_ROWS,
            download_url=reverse("faggruppe_pages_bulk_download")
            + "?"
            + urlencode({"organisation": self.organisation.pk}),
            our_entries_url=our_entries_url(self.organisation),
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise UploadError(
                    _("The file is too big (%(size)s MB). The limit is %(limit)s MB.")
                    % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
                )
            table = read_table(upload.read(MAX_BYTES + 1), upload.name)
        except UploadError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        stored, _review = bulk.new_upload(
            self.request.user, self.organisation, upload.name, table, **pointable(self.request.user)
        )
        return redirect("faggruppe_pages_bulk_review", stored.pk)


class UploadOwnerMixin:
    """The upload of the URL, if it is the user's own, not expired, and for an organisation they still act for."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs["pk"]
        bulk.expire_uploads()
        self.upload = (
            BulkUpload.objects.select_related("organisation").filter(pk=pk, user=request.user).first()
            if pk <= _MAX_ID and request.user.is_authenticated
            else None
        )
        if self.upload is None:
            raise Http404
        if not organisations_user_acts_for(request.user).filter(pk=self.upload.organisation_id).exists():
            raise PermissionDenied
        self.organisation = self.upload.organisation
        return super().dispatch(request, *args, **kwargs)

    def review_url(self):
        return reverse("faggruppe_pages_bulk_review", args=[self.upload.pk])


class BulkReviewView(UploadOwnerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "faggruppe_pages/admin/bulk/review.html"
    page_title = gettext_lazy("Review the changes")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return breadcrumbs(self)

    http_method_names = ["get", "head"]

    def get_page_subtitle(self):
        return f"{self.organisation.display_name} – {self.upload.file_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = bulk.review_upload(self.upload, **pointable(self.request.user))
        fingerprint = bulk.entries_fingerprint(self.organisation)
        if (fingerprint, result.digest) != (self.upload.fingerprint, self.upload.digest):
            # Someone saved meanwhile: what is shown now is what confirming will do.
            messages.warning(
                self.request,
                _(
                    "The entries of %(organisation)s have changed since the file was uploaded. "
                    "The review below is up to date."
                )
                % {"organisation": self.organisation.display_name},
            )
            self.upload.fingerprint, self.upload.digest = fingerprint, result.digest
            self.upload.save(update_fields=["fingerprint", "digest"])
        context.update(
            upload=self.upload,
            organisation=self.organisation,
            review=result,
            digest=result.digest,
            too_many_message=too_many_message() if result.too_many else "",
            confirm_url=reverse("faggruppe_pages_bulk_confirm", args=[self.upload.pk]),
            cancel_url=reverse("faggruppe_pages_bulk_cancel", args=[self.upload.pk]),
            upload_url=reverse("faggruppe_pages_bulk_upload") + "?" + urlencode({"organisation": self.organisation.pk}),
            our_entries_url=our_entries_url(self.organisation),
        )
        return context


class BulkConfirmView(UploadOwnerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            done = bulk.apply(
                self.upload, user=request.user, digest=request.POST.get("digest", ""), **pointable(request.user)
            )
        except bulk.TooMany:
            messages.error(request, too_many_message())
            return redirect(self.review_url())
        except bulk.Gone:
            messages.error(request, _("This upload has already been saved or cancelled."))
            return redirect(our_entries_url(self.organisation))
        except bulk.Stale as stale:
            BulkUpload.objects.filter(pk=self.upload.pk).update(
                fingerprint=bulk.entries_fingerprint(self.organisation), digest=stale.review.digest
            )
            messages.warning(
                request,
                _(
                    "The entries of %(organisation)s changed after you reviewed the file, so nothing was saved. "
                    "Check the updated review below and confirm again."
                )
                % {"organisation": self.organisation.display_name},
            )
            return redirect(self.review_url())
        except bulk.ApplyFailed as failed:
            messages.error(
                request,
                _("Row %(row)s could not be saved: %(reasons)s Nothing was saved.")
                % {"row": failed.row, "reasons": " ".join(str(m) for m in failed.messages)},
            )
            return redirect(self.review_url())
        messages.success(
            request,
            _(
                "Saved from the spreadsheet for %(organisation)s: %(new)s new, %(changed)s changed, %(ended)s ended; "
                "%(confirmed)s unchanged entries confirmed."
            )
            % {
                "organisation": self.organisation.display_name,
                "new": done.new,
                "changed": done.changed,
                "ended": done.ended,
                "confirmed": done.confirmed,
            },
        )
        return redirect(our_entries_url(self.organisation))


class BulkCancelView(UploadOwnerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.upload.delete()
        messages.success(request, _("Cancelled. Nothing was changed."))
        return redirect(our_entries_url(self.organisation))


# -- the audit log -------------------------------------------------------------------------------------------------


class _FromSpreadsheet(LogFormatter):
    with_row = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("row") is None:
            return self.message
        return self.with_row % {"row": data["row"], "file": data.get("file", "")}


class CreatedFromSpreadsheet(_FromSpreadsheet):
    label = gettext_lazy("Register from spreadsheet")
    message = gettext_lazy("Registered from a spreadsheet")
    with_row = gettext_lazy("Registered from a spreadsheet (row %(row)s of “%(file)s”)")


class ChangedFromSpreadsheet(_FromSpreadsheet):
    label = gettext_lazy("Change from spreadsheet")
    message = gettext_lazy("Changed from a spreadsheet")
    with_row = gettext_lazy("Changed from a spreadsheet (row %(row)s of “%(file)s”)")


def register_log_actions(actions):
    """The labels of the bulk update's audit-log actions (hook ``register_log_actions``)."""
    actions.register_action(bulk.BULK_CREATE_ACTION)(CreatedFromSpreadsheet)
    actions.register_action(bulk.BULK_EDIT_ACTION)(ChangedFromSpreadsheet)
