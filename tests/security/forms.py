"""Helpers for the generated security suites: read a rendered admin form back into POST data."""

from bs4 import BeautifulSoup
from django.db.models import Model


def form_fields(html, form_selector="form[method=post]"):
    """The POST data a browser would send for the first matching form, as a list of (name, value)."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.select(form_selector) if f.find(["input", "select", "textarea"])]
    # The edit form is the one with the most fields (the page also holds search and menu forms).
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    data = []
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "select":
            chosen = [o.get("value", o.text) for o in element.find_all("option") if o.has_attr("selected")]
            if not chosen and not element.has_attr("multiple"):
                first = element.find("option")
                chosen = [first.get("value", first.text)] if first else []
            data.extend((name, v) for v in chosen)
        elif element.name == "textarea":
            data.append((name, element.text))
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.append((name, element.get("value", "on")))
        elif element.get("type") in ("submit", "button", "image", "file"):
            continue
        else:
            data.append((name, element.get("value", "")))
    return data


def as_dict(pairs):
    """Pairs -> {name: [values]} for the test client (which sends lists as repeated fields)."""
    out = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def replaced(pairs, name, *values):
    """The pairs with every value of ``name`` replaced by ``values`` (none: the field is left out)."""
    kept = [(n, v) for n, v in pairs if n != name]
    return kept + [(name, v) for v in values]


def snapshot(*models):
    """Every row of the given models, for "nothing changed" assertions."""
    rows = {}
    for model in models:
        assert issubclass(model, Model)
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows
