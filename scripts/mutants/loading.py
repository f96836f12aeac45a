"""Mutants of loading rows without ``Model.__init__`` (faggruppe_pages/fastload.py)."""

from mutants import M

FL = "faggruppe_pages/fastload.py"

MUTANTS = [
    M(
        "fastload-no-setters",
        FL,
        "            setattr(new, name, loaded[name])  # e.g. a StreamField's raw JSON, converted as __init__ would",
        "            pass",
        "a field whose descriptor converts what is set (a StreamField's) keeps the raw value",
        "FastLoadMixin.from_db",
    ),
    M(
        "fastload-ignores-signals",
        FL,
        "            or signals.pre_init.has_listeners(cls)\n            or signals.post_init.has_listeners(cls)\n",
        "",
        "a receiver of a model's init signals is never called",
        "FastLoadMixin.from_db",
    ),
    M(
        "fastload-any-init",
        FL,
        "    plan.fast = inits <= KNOWN_INITS",
        "    plan.fast = True",
        "a model whose own __init__ does something is built without it",
        "fastload._plan",
    ),
    M(
        "fastload-without-id",
        FL,
        "        if not all(loaded.get(name) for name in plan.required):",
        "        if not loaded.get(cls._meta.pk.attname):",
        "a page read without its id skips the page mixins' __init__",
        "FastLoadMixin.from_db",
    ),
    M(
        "fastload-adding",
        FL,
        "        state.adding = False",
        "        state.adding = True",
        "a loaded row looks new: saving it inserts",
        "FastLoadMixin.from_db",
    ),
]
