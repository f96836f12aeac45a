"""The add-on's registrations with Wagtail: a table of contents; the code lives in ``admin/``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from faggruppe_pages.admin import bulk, choosers, dashboard, history, menu
from faggruppe_pages.admin.guards import GuardedDeleteBulkAction
from faggruppe_pages.admin.snippets import MembersAdminGroup
from faggruppe_pages.admin.withdrawals import NoBulkDelete

register_snippet(MembersAdminGroup)
# After wagtail.snippets' own delete action (order 0), so ours replace it for our models.
hooks.register("register_bulk_action", GuardedDeleteBulkAction, order=100)
hooks.register("register_bulk_action", NoBulkDelete, order=100)

hooks.register("register_admin_urls", menu.admin_urls)
hooks.register("register_admin_viewset", choosers.register_group_chooser)
hooks.register("register_admin_menu_item", menu.our_entries_menu_item)
hooks.register("register_admin_menu_item", menu.withdrawn_menu_item)
hooks.register("construct_reports_menu", menu.hide_staff_only_reports)
# The start page: what each organisation must do first; Wagtail's page counts for staff only.
hooks.register("construct_homepage_panels", dashboard.add_work_panel)
hooks.register("insert_global_admin_css", dashboard.admin_css)
# After Wagtail's own items (order 0), so it sees them.
hooks.register("construct_homepage_summary_items", dashboard.staff_only_site_summary, order=100)
hooks.register("register_log_actions", history.register_log_actions)
hooks.register("register_log_actions", bulk.register_log_actions)

# A group with history is closed, never deleted; a group page is never aliased.
hooks.register("before_copy_page", history.refuse_aliases_of_group_pages)
hooks.register("before_delete_page", history.refuse_deleting_groups_with_history)
hooks.register("before_bulk_action", history.refuse_bulk_deleting_groups_with_history)
