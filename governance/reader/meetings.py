"""(Being built.)"""

urlpatterns = []


def group_section(page, request, context):
    """The group page's meetings section: the next meeting, the latest published minutes, the archive."""
    return ""
