"""(Being built.)"""

urlpatterns = []


def my_groups_section(request, person, memberships):
    """ "Mine grupper": the user's coming meetings and their personal calendar address."""
    return ""
