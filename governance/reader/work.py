"""(Being built.)"""

urlpatterns = []


def group_section(page, request, context):
    """The group page's work section: measures with their latest status, benefits, proposals."""
    return ""
