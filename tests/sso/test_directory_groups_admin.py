"""Staff's "Kataloggrupper" (Innstillinger): the mapping from directory groups to rights. Only staff may see or
change it; a representative who could would make themselves staff."""

import pytest
from intranet.oidc.models import DirectoryGroupMapping, MappingTarget

from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/kataloggrupper/"
ADD = "/admin/kataloggrupper/new/"


@pytest.fixture
def mapping(molde):
    return DirectoryGroupMapping.objects.create(
        directory_group_id="molde-reps", target=MappingTarget.REPRESENTATIVES, organisation=molde
    )


@pytest.fixture
def rep_client(client, molde):
    rep = UserFactory(username="rep-molde")
    rep.groups.add(molde.representatives_group)
    client.force_login(rep)
    return client


def snapshot():
    return list(
        DirectoryGroupMapping.objects.order_by("pk").values_list("directory_group_id", "target", "organisation")
    )


def refused(response):
    return response.status_code in (302, 403, 404) and response.get("Location", "/admin/").startswith(
        ("/admin/", "/logg-inn/")
    )


def test_a_representative_is_refused_and_the_mapping_unchanged(rep_client, mapping, molde):
    before = snapshot()
    assert rep_client.get("/admin/").status_code == 200  # a representative, with admin access
    assert "kataloggrupper" not in rep_client.get("/admin/").content.decode()
    for address in (INDEX, ADD, f"{INDEX}edit/{mapping.pk}/", f"{INDEX}delete/{mapping.pk}/"):
        assert refused(rep_client.get(address)), address
    # Make themselves staff, widen the mapping, delete it: all refused.
    data = {"directory_group_id": "alle-ansatte", "description": "", "target": "staff", "organisation": ""}
    assert refused(rep_client.post(ADD, data))
    assert refused(rep_client.post(f"{INDEX}edit/{mapping.pk}/", data))
    assert refused(rep_client.post(f"{INDEX}delete/{mapping.pk}/"))
    assert snapshot() == before


def test_staff_add_a_mapping_and_bad_input_gets_a_message(admin_client, molde):
    assert (
        "Directory groups" in admin_client.get("/admin/").content.decode()
        or INDEX in admin_client.get("/admin/").content.decode()
    )
    assert admin_client.get(INDEX).status_code == 200
    response = admin_client.post(
        ADD,
        {
            "directory_group_id": " molde-reps ",
            "description": "Molde",
            "target": "representatives",
            "organisation": molde.pk,
        },
    )
    assert response.status_code == 302
    assert snapshot() == [("molde-reps", "representatives", molde.pk)]

    # Representatives without an organisation, the cooperation (no representatives), a duplicate: the form says why.
    cooperation = CooperationFactory()
    for organisation in ("", cooperation.pk, molde.pk):
        response = admin_client.post(
            ADD,
            {
                "directory_group_id": "molde-reps",
                "description": "",
                "target": "representatives",
                "organisation": organisation,
            },
        )
        assert response.status_code == 200 and "error" in response.content.decode()
    assert len(snapshot()) == 1
