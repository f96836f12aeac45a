"""Mutants of the representative's workspace: the work list, confirming, the start page, dates, language."""

from mutants import E, M, W

C = "faggruppe_pages/upkeep/confirmation.py"
WL = "faggruppe_pages/upkeep/worklist.py"
D = "faggruppe_pages/admin/dashboard.py"
DT = "faggruppe_pages/admin/dates.py"
SN = "faggruppe_pages/admin/snippets.py"

MUTANTS = [
    M(
        "verify-not-only-current",
        C,
        "current = current.not_ended(today) if coming_too else current.active_on(today)",
        "current = current.not_ended(today)",
        "coming and ended entries are stamped as confirmed",
        "confirmation.verify",
    ),
    M(
        "post-always-all",
        E,
        'if request.POST.get("confirm") == "all":',
        "if True:",
        "confirming one row confirms every row",
        "OurEntriesView.post",
    ),
    M(
        "worklist-never-is-overdue",
        WL,
        "        marks.add(NEVER)\n",
        "        marks.add(OVERDUE)\n",
        "an entry never confirmed is marked overdue (the start page's counts lie)",
        "worklist.statuses_of",
    ),
    M(
        "worklist-gap-of-others",
        WL,
        "- filled[(group.pk, w.organisation.pk)]",
        "- sum(n for (pk, _org), n in filled.items() if pk == group.pk)",
        "another organisation's seats fill this one's (its gaps are not shown)",
        "worklist._add_gaps",
    ),
    M(
        "dashboard-every-organisation",
        D,
        "organisations = list(organisations_user_acts_for(request.user))",
        "organisations = list(Organisation.objects.all())\n    from faggruppe_pages.models import Organisation  # noqa",
        "a representative's start page shows every organisation's work",
        "dashboard.add_work_panel",
    ),
    M(
        "save-does-not-confirm",
        SN,
        "        stamp_saved(self.form.instance, self.request.user)\n",
        "",
        "saving an entry through its form no longer confirms it",
        "ConfirmBySavingMixin.save_instance",
    ),
    M(
        "date-picker-replaces-typos",
        DT,
        '"validateOnBlur": False',
        '"validateOnBlur": True',
        "the date picker silently replaces unreadable text with today",
        "KeepTypedTextMixin.get_config",
    ),
    M(
        "dates-only-active-language",
        DT,
        '"input_formats": DATE_INPUT_FORMATS,',
        "",
        "dates typed dd.mm.åååå are refused under English",
        "dates.register",
    ),
    M(
        "reader-language-not-remembered",
        W,
        'remember_language(user, request.POST.get("language"))',
        "pass",
        "choosing a language on the reader pages leaves the admin in the old one",
        "PreferredLanguageMiddleware.process_response",
    ),
]
