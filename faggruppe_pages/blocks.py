"""StreamField blocks for group pages and mandate text."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TaskListBlock(blocks.StructBlock):
    """A numbered list, such as a mandate's tasks."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    items = blocks.ListBlock(blocks.TextBlock(label=_("Item")), label=_("Items"))

    class Meta:
        icon = "list-ol"
        label = _("Numbered list")
        template = "faggruppe_pages/blocks/task_list.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), icon="title", template="faggruppe_pages/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    task_list = TaskListBlock()
