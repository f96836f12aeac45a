"""Comparing texts as a reader reads them: so a page can say a thing once (purpose, assignment, mandate).

Pure functions of their arguments: HTML tags, spacing, case and closing punctuation do not make two
texts different.
"""

import re

from django.utils.html import strip_tags

_SPACE = re.compile(r"\s+")


def plain_text(text):
    """The words of ``text`` (plain or HTML) in one line, case-folded, without closing punctuation."""
    return _SPACE.sub(" ", strip_tags(str(text or ""))).strip().rstrip(".!?:; ").casefold()


def overlaps(text, others):
    """Whether ``text`` and one of ``others`` say the same: equal, or one contains the other (plain_text)."""
    mine = plain_text(text)
    theirs = [plain_text(other) for other in others]
    return bool(mine) and any(other and (mine in other or other in mine) for other in theirs)


def distinct_texts(*texts):
    """Of ``texts`` (in order), those to show: a text equal to another or contained in another is left out
    (of two equal texts, the first stays). Returns one boolean per text: show it or not."""
    plain = [plain_text(t) for t in texts]
    shown = []
    for i, mine in enumerate(plain):
        if not mine:
            shown.append(False)
            continue
        repeated = any(
            other and j != i and (mine in other) and (mine != other or j < i) for j, other in enumerate(plain)
        )
        shown.append(not repeated)
    return shown
