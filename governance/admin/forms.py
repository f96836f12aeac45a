"""Governance's admin forms: the mandate's (its approval stamp) and the group work's (meetings, measures,
benefits, proposals). Which rows a field may point at is decided in faggruppe_pages' boundary, which
governance fills through its boundary-rules slot."""

from faggruppe_pages.admin.boundary import BoundaryFormMixin
from faggruppe_pages.admin.forms import SafeAdminModelForm

#: The submit buttons of Wagtail's snippet edit view that publish the version or send it for approval.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class MandateForm(SafeAdminModelForm):
    """A version is approved by being published: publishing it, or sending it into (or through) the
    approval workflow, needs the approval stamp (body, date, case number in the body's format)."""

    def clean(self):
        cleaned_data = super().clean()
        publishing = self.is_bound and any(action in self.data for action in PUBLISHING_ACTIONS)
        in_review = self.instance.pk is not None and self.instance.workflow_in_progress
        if publishing or in_review:
            for name, message in self._stamp_errors(cleaned_data).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return cleaned_data

    def _stamp_errors(self, cleaned_data):
        candidate = self.instance
        for name in ("approved_by", "approved_on", "case_number"):
            if name in cleaned_data:
                setattr(candidate, name, cleaned_data[name])
        return candidate.stamp_errors()


class GroupWorkForm(BoundaryFormMixin, SafeAdminModelForm):
    """Meetings, measures, benefits and proposals: every field pointing at another row is limited by its
    rule in the boundary (governance's rules come through the boundary-rules slot)."""
