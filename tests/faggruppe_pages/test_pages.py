"""Page-tree rules: an overview holds faggrupper, a faggruppe holds arbeidsgrupper, nothing else."""

from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from faggruppe_pages.models import ArbeidsgruppePage, FaggruppeIndexPage, FaggruppePage, GroupPage
from tests.factories import ArbeidsgruppePageFactory, FaggruppePageFactory, make_index


class PageTreeRulesTests(WagtailPageTestCase):
    def test_overview_holds_only_faggrupper(self):
        self.assertAllowedSubpageTypes(FaggruppeIndexPage, {FaggruppePage})

    def test_faggruppe_holds_only_arbeidsgrupper(self):
        self.assertAllowedSubpageTypes(FaggruppePage, {ArbeidsgruppePage})

    def test_arbeidsgruppe_holds_nothing(self):
        self.assertAllowedSubpageTypes(ArbeidsgruppePage, set())

    def test_faggruppe_lives_only_under_an_overview(self):
        self.assertAllowedParentPageTypes(FaggruppePage, {FaggruppeIndexPage})

    def test_arbeidsgruppe_lives_only_under_a_faggruppe(self):
        self.assertAllowedParentPageTypes(ArbeidsgruppePage, {FaggruppePage})

    def test_the_shared_group_base_cannot_be_created(self):
        self.assertFalse(GroupPage.is_creatable)
        self.assertTrue(FaggruppePage.is_creatable)
        self.assertTrue(ArbeidsgruppePage.is_creatable)

    def test_pages_can_be_created_where_the_rules_allow(self):
        index = make_index()
        self.assertCanCreateAt(FaggruppeIndexPage, FaggruppePage)
        self.assertCanCreateAt(FaggruppePage, ArbeidsgruppePage)
        self.assertCanNotCreateAt(Page, FaggruppePage)
        self.assertCanNotCreateAt(FaggruppeIndexPage, ArbeidsgruppePage)
        faggruppe = FaggruppePageFactory(parent=index)
        self.client.force_login(self.create_superuser("editor"))
        data = nested_form_data(
            {
                "title": "Arbeidsgruppe e-handel",
                "slug": "e-handel",
                "kind": "arbeidsgruppe",
                "status": "active",
                "body": streamfield([]),
            }
        )
        self.assertCanCreate(faggruppe, ArbeidsgruppePage, data)

    def test_pages_render(self):
        index = make_index()
        faggruppe = FaggruppePageFactory(parent=index)
        arbeidsgruppe = ArbeidsgruppePageFactory(parent=faggruppe)
        reader = self.create_user("reader")
        for page in (index, faggruppe, arbeidsgruppe):
            self.assertPageIsRenderable(page, user=reader)

    def test_closed_group_needs_a_closing_date(self):
        page = FaggruppePage(title="Gammel gruppe", slug="gammel", status="closed")
        with self.assertRaises(ValidationError) as caught:
            page.clean()
        self.assertIn("closed_on", caught.exception.message_dict)
