"""Editor panel that shows a group page's members with links to manage them (declared by the page models)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import Panel


class MembersPanel(Panel):
    """Read-only list of the group's active members, linking to the membership admin.

    Memberships are edited in their own admin (their rights follow the organisation
    represented, not the page), so this panel links there instead of inlining them.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "faggruppe_pages/admin/members_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page.pk)
            if page.pk:
                context["members"] = list(page.memberships.active_on(timezone.localdate()).for_display())
                context["list_url"] = (
                    reverse("wagtailsnippets_faggruppe_pages_membership:list") + "?" + urlencode({"group": page.pk})
                )
                context["add_url"] = (
                    reverse("wagtailsnippets_faggruppe_pages_membership:add") + "?" + urlencode({"group": page.pk})
                )
            return context
