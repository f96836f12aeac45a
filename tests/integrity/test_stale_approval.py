"""Approving from the dashboard or the workflow modal publishes what was approved, never a later change.

Wagtail publishes the latest revision when a workflow finishes. While a page waits for approval it is
locked for its members, but not for other reviewers: a change another reviewer saves after it was sent
would be published unseen by the one who approves from the dashboard. The approval is refused instead.
"""

import pytest
from wagtail.models import TaskState, WorkflowState

from faggruppe_pages.models import FaggruppePage
from tests.factories import UserFactory
from tests.faggruppe_pages.test_group_editing import edit_data

pytestmark = pytest.mark.django_db


def submit(client, setup, purpose):
    group = setup["group"]
    client.force_login(setup["member"])
    response = client.post(
        f"/admin/pages/{group.pk}/edit/", {**edit_data(group, purpose=purpose), "action-submit": "1"}
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(group.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    return TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)


@pytest.mark.parametrize("xhr", [False, True], ids=["form", "modal"])
def test_approving_a_page_changed_after_submission_is_refused(client, setup, xhr):
    group = setup["group"]
    task_state = submit(client, setup, "Sendt til godkjenning")
    # The page is locked for its members while it waits; another reviewer saves a change to it.
    response = client.post(f"/admin/pages/{group.pk}/edit/", edit_data(group, purpose="Endret etterpå"))
    assert FaggruppePage.objects.get(pk=group.pk).get_latest_revision_as_object().purpose == "Sendt til godkjenning"
    client.force_login(UserFactory(username="annen", first_name="Anna", last_name="Annen", is_superuser=True))
    response = client.post(f"/admin/pages/{group.pk}/edit/", edit_data(group, purpose="Endret etterpå"))
    assert response.status_code == 302

    client.force_login(setup["editor"])
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    response = client.post(
        f"/admin/pages/workflow/action/{group.pk}/approve/{task_state.pk}/", {"comment": ""}, **headers
    )
    assert response.status_code in (200, 302)
    live = FaggruppePage.objects.get(pk=group.pk)
    assert live.purpose == "Gammelt formål", "nothing was published"
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS, "nothing was approved"
    page = client.get(f"/admin/pages/{group.pk}/edit/").content.decode()
    assert "etter at den ble sendt til godkjenning" in page and "Anna Annen" in page


def test_approving_what_was_submitted_publishes_it(client, setup):
    group = setup["group"]
    task_state = submit(client, setup, "Sendt til godkjenning")
    client.force_login(setup["editor"])
    client.post(f"/admin/pages/workflow/action/{group.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert FaggruppePage.objects.get(pk=group.pk).purpose == "Sendt til godkjenning"
