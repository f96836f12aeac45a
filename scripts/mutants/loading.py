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
        'if not plan.fast or getattr(_local, "off", False) or _init_receivers(cls):',
        'if not plan.fast or getattr(_local, "off", False):',
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
    M(
        "fastload-stale-receivers",
        FL,
        "        if signal.sender_receivers_cache.get(cls) is not NO_RECEIVERS and signal.has_listeners(cls):",
        "        if signal.sender_receivers_cache.get(cls) not in (None, NO_RECEIVERS):",
        "a receiver connected after the first rows were read is never called (only what the cache held counts)",
        "fastload._init_receivers",
    ),
    M(
        "route-shares-kept-pages",
        "faggruppe_pages/routing.py",
        "for pages in kept) if keeps_values() else kept",
        "for pages in kept) if False else kept",
        "requests of one data version route the same page objects: what one request sets on a page another sees",
        "routing.route",
    ),
]
