"""Mandate text: the page blocks (headings, paragraphs, numbered task lists) plus role descriptions."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from faggruppe_pages.blocks import BodyBlock


class RoleDescriptionBlock(blocks.StructBlock):
    role = blocks.CharBlock(label=_("Role"))
    description = blocks.TextBlock(label=_("Description"))


class RoleDescriptionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, default=_("Role descriptions"))
    roles = blocks.ListBlock(RoleDescriptionBlock(), label=_("Roles"))

    class Meta:
        icon = "group"
        label = _("Role descriptions")
        template = "governance/blocks/role_descriptions.html"


class MandateBlock(BodyBlock):
    """Purpose and organisation as headings and paragraphs, tasks as a numbered list, and the roles."""

    role_descriptions = RoleDescriptionsBlock()
