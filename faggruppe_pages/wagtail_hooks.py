"""Admin registrations of the faggruppe pages add-on."""

from wagtail.snippets.models import register_snippet

from .views.snippets import MembersAdminGroup

register_snippet(MembersAdminGroup)
