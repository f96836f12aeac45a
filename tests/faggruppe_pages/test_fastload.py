"""Instances loaded without ``Model.__init__`` (faggruppe_pages/fastload.py) are the ones Django builds.

Every model with ``FastLoadMixin`` is read from the demo's data in several ways (whole rows, with related
objects, with deferred fields, through the prepared queries' kind of ``select_related``) and compared, row by row
and field by field, with what Django's own ``from_db`` gives for the same query (``django_loading``). A model
given the mixin is found here without anyone listing it.
"""

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.signals import post_init, pre_init
from django.test.utils import isolate_apps
from wagtail.blocks import StreamValue

from faggruppe_pages.fastload import FastLoadMixin, django_loading, plan_for
from faggruppe_pages.models import GroupPage, Membership, Person
from governance.models import Mandate
from tests.demo_snapshot import load_demo
from tests.faggruppe_pages.test_prepared import described

FAST_MODELS = sorted((m for m in apps.get_models() if issubclass(m, FastLoadMixin)), key=lambda m: m._meta.label)
#: At most this many rows of each model per query (the demo has a few hundred of the largest).
ROWS = 300


def test_the_models_a_group_page_reads_load_fast():
    """The point of the mixin: the seats, their people and organisations, the pages, the mandate."""
    names = {m._meta.label for m in FAST_MODELS}
    assert {
        "faggruppe_pages.Membership",
        "faggruppe_pages.Person",
        "faggruppe_pages.Organisation",
        "faggruppe_pages.FaggruppePage",
        "faggruppe_pages.ArbeidsgruppePage",
        "governance.Mandate",
        "governance.Meeting",
    } <= names


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda m: m._meta.label)
def test_every_fast_model_takes_the_fast_path(model):
    """A model whose ``__init__`` chain is not known to be harmless would silently fall back: the mixin would be
    dead weight there, and someone would believe it fast."""
    assert plan_for(model).fast, f"{model._meta.label}: an __init__ in its MRO is not in fastload.KNOWN_INITS"


def querysets(model):
    """The ways a page reads rows of ``model``: whole, with every forward relation joined, with fields deferred."""
    forward = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and not f.null and f.related_model is not model
    ]
    plain = [f.name for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key]
    yield model.objects.order_by("pk")
    if forward:
        yield model.objects.select_related(*forward).order_by("pk")
    if len(plain) > 2:
        yield model.objects.defer(*plain[::2]).order_by("pk")
        yield model.objects.only("pk", plain[0]).order_by("pk")


@pytest.fixture
def demo(db):
    load_demo()


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda m: m._meta.label)
def test_instances_are_the_ones_django_builds(demo, model):
    compared = 0
    for queryset in querysets(model):
        fast = list(queryset[:ROWS])
        with django_loading():
            expected = list(queryset[:ROWS])
        assert [described(row) for row in fast] == [described(row) for row in expected], str(queryset.query)
        compared += len(fast)
        # What a page does with them next works the same: fields read, deferred ones loaded, saved unchanged.
        for got, want in zip(fast, expected, strict=True):
            assert got.pk == want.pk and got._state.adding is False and got._state.db == DEFAULT_DB_ALIAS
            assert got.get_deferred_fields() == want.get_deferred_fields()
            for name in got.get_deferred_fields():
                assert getattr(got, name) == getattr(want, name)
    assert compared, f"the demo has no {model._meta.label}: the comparison would prove nothing"


def test_a_stream_field_is_a_stream_as_django_sets_it(demo):
    """A StreamField's raw JSON is set through its descriptor, as ``__init__`` sets it: a StreamValue."""
    mandate = Mandate.objects.exclude(text=[]).order_by("pk").first()
    with django_loading():
        reference = Mandate.objects.get(pk=mandate.pk)
    fast = Mandate.objects.get(pk=mandate.pk)
    assert isinstance(fast.__dict__["text"], StreamValue)
    assert len(fast.text) > 0 and fast.text == reference.text
    assert [block.block_type for block in fast.text] == [block.block_type for block in reference.text]


def test_fast_loading_skips_init(demo):
    """Loaded without running ``__init__`` (the cost the mixin exists to save); Django's path runs it."""
    calls = []
    original = models.Model.__init__

    def counting(self, *args, **kwargs):
        calls.append(type(self))
        original(self, *args, **kwargs)

    models.Model.__init__ = counting
    try:
        rows = list(Membership.objects.select_related("person", "represents")[:20])
        assert rows and calls == []
        with django_loading():
            list(Membership.objects.select_related("person", "represents")[:20])
        assert calls.count(Membership) == len(rows) and calls.count(Person) == len(rows)
    finally:
        models.Model.__init__ = original


@pytest.mark.parametrize("signal", [pre_init, post_init], ids=["pre_init", "post_init"])
def test_a_receiver_of_init_signals_is_honoured(demo, signal):
    """Someone listening to a model's init signals gets them: the row goes through Django's own path."""
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    signal.connect(receiver, sender=Membership)
    try:
        rows = list(Membership.objects.order_by("pk")[:10])
    finally:
        signal.disconnect(receiver, sender=Membership)
    assert rows and seen == [Membership] * len(rows)
    seen.clear()
    list(Membership.objects.order_by("pk")[:10])
    assert seen == []


def test_a_row_without_its_id_goes_through_django(demo):
    """Wagtail's page mixins act in ``__init__`` on a page without an id: such a row is never built fast."""
    page = GroupPage.objects.order_by("path").first()
    names = [f.attname for f in GroupPage._meta.concrete_fields if f.attname != "id"]
    values = [getattr(page, name) for name in names]
    built = GroupPage.from_db(DEFAULT_DB_ALIAS, names, values)
    with django_loading():
        reference = GroupPage.from_db(DEFAULT_DB_ALIAS, names, values)
    assert described(built) == described(reference) and built.__dict__["id"] == page.pk
    assert built.show_in_menus == reference.show_in_menus


class UpperCase:
    """A descriptor that converts what is set (as Wagtail's StreamField's does): stores it upper-cased."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        return self if instance is None else instance.__dict__[self.field.attname]

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value.upper()


class UpperCaseField(models.CharField):
    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, UpperCase(self))


def probe_model(name, *bases, **fields):
    """A model of this test alone, kept out of the project's app registry (other tests list every model)."""
    with isolate_apps("faggruppe_pages"):
        meta = type("Meta", (), {"app_label": "faggruppe_pages", "managed": False})
        return type(name, (FastLoadMixin, *bases, models.Model), {"__module__": __name__, "Meta": meta, **fields})


def test_a_field_whose_descriptor_converts_is_set_through_it():
    """A StreamField arrives converted by its database converter already; a field that converts only in its
    descriptor's ``__set__`` must still get that conversion, as ``__init__`` gives it."""
    model = probe_model("FastLoadConverting", code=UpperCaseField(max_length=10))
    assert plan_for(model).fast and plan_for(model).setters == {"code"}
    built = model.from_db(DEFAULT_DB_ALIAS, ["id", "code"], [1, "abc"])
    with django_loading():
        reference = model.from_db(DEFAULT_DB_ALIAS, ["id", "code"], [1, "abc"])
    assert built.code == reference.code == "ABC"


def test_an_unknown_init_is_not_skipped():
    """A model (or mixin) with an ``__init__`` of its own is loaded by Django, whatever that ``__init__`` does."""

    class WithInit:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.marked = True

    model = probe_model("FastLoadWithInit", WithInit)
    assert not plan_for(model).fast
    built = model.from_db(DEFAULT_DB_ALIAS, ["id"], [1])
    assert built.marked is True
