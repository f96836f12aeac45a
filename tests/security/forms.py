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
            text = element.text  # a browser drops the newline right after <textarea>
            data.append((name, text[1:] if text.startswith("\n") else text))
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


def block_pairs(block, state, prefix):
    """POST pairs the block editor's JavaScript sends for ``state`` (a block's ``get_form_state``)."""
    from wagtail import blocks

    if isinstance(block, blocks.BaseStreamBlock):
        pairs = [(f"{prefix}-count", str(len(state)))]
        for i, item in enumerate(state):
            pairs += [
                (f"{prefix}-{i}-deleted", ""),
                (f"{prefix}-{i}-order", str(i)),
                (f"{prefix}-{i}-type", item["type"]),
                (f"{prefix}-{i}-id", item.get("id") or ""),
            ]
            pairs += block_pairs(block.child_blocks[item["type"]], item["value"], f"{prefix}-{i}-value")
        return pairs
    if isinstance(block, blocks.ListBlock):
        pairs = [(f"{prefix}-count", str(len(state)))]
        for i, item in enumerate(state):
            pairs += [
                (f"{prefix}-{i}-deleted", ""),
                (f"{prefix}-{i}-order", str(i)),
                (f"{prefix}-{i}-id", item.get("id") or ""),
            ]
            pairs += block_pairs(block.child_block, item["value"], f"{prefix}-{i}-value")
        return pairs
    if isinstance(block, blocks.BaseStructBlock):
        pairs = []
        for name, child in block.child_blocks.items():
            pairs += block_pairs(child, (state or {}).get(name), f"{prefix}-{name}")
        return pairs
    if isinstance(block, blocks.StaticBlock):
        return []
    if isinstance(state, bool):
        return [(prefix, "on")] if state else []
    return [(prefix, "" if state is None else str(state))]


def stream_pairs(instance, names):
    """POST pairs for the StreamFields ``names`` of ``instance``, holding its current values."""
    pairs = []
    for name in names:
        from wagtail.fields import StreamField

        field = instance._meta.get_field(name)
        if not isinstance(field, StreamField):
            continue
        block = field.stream_block
        pairs += block_pairs(block, block.get_form_state(getattr(instance, name)), name)
    return pairs
