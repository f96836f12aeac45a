"""(Being built.)"""


def register_all():
    """Every admin registration of the group work: viewsets, transitions, log actions, boundary rules."""
