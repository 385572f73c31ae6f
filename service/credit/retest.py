"""The re-test (复检) procedure on an objection, SAMR Order 18 (2019) Art.35-39.

An objection to a result is a written re-test application (Art.35). The authority sends a
re-test notice; the applicant completes the formalities within 7 days of it or the re-test
is waived (Art.38); the authority designates a qualified lab within 10 days, never the lab
of the first test (Art.39). Periods roll past rest days (Art.55). The record's attrs carry
``retest_requested``, ``retest_notified_on``, ``retest_formalities_on``, ``retest_lab``
and ``retest_lab_designated_on``; ``lab`` names the first lab.

Pure: dates come in already parsed (:mod:`service.credit.followup` reads the attrs).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

from service.credit.deadlines import WorkCalendar, deadline_days

# Order 18 Art.38: re-test formalities within 7 days of the re-test notice, or waived.
FORMALITIES_DAYS = 7
# Order 18 Art.39: the re-test lab designated within 10 days, not the first lab.
LAB_DAYS = 10


def same_lab(a: object, b: object) -> bool:
    """Two lab names denote the same lab: compared without case, spaces and punctuation
    width (全角/半角), so "省质检院" and " 省质检院 " are one lab."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return _lab_key(a) == _lab_key(b) and _lab_key(a) != ""


def _lab_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def check_procedure(
    attrs: Mapping[str, object],
    dates: Mapping[str, date | None],
    cal: WorkCalendar,
    add: Callable[[str, str, str], None],
) -> None:
    """Order 18 Art.38-39: notice, formalities within 7 days, a lab that is not the first."""
    objection_on = dates["objection_filed_on"]
    notice = dates["retest_notified_on"]
    formalities = dates["retest_formalities_on"]
    designated = dates["retest_lab_designated_on"]
    lab = attrs.get("retest_lab")
    procedure = {
        "retest_notified_on": notice,
        "retest_formalities_on": formalities,
        "retest_lab_designated_on": designated,
        "retest_lab": lab,
    }
    given = [name for name, value in procedure.items() if value is not None]
    if given and objection_on is None:
        add(
            "order18-art38-retest-without-objection",
            given[0],
            "the re-test procedure follows an objection (objection_filed_on)",
        )
        return
    if given and attrs.get("retest_requested") is False:
        add(
            "order18-art38-retest-not-requested",
            given[0],
            "the objection did not ask for a re-test (retest_requested is false)",
        )
        return
    if notice is not None and objection_on is not None and notice < objection_on:
        add(
            "order18-art38-notice-before-objection",
            "retest_notified_on",
            f"re-test notice of {notice}, before the objection of {objection_on}",
        )
    if formalities is not None:
        if notice is None:
            add(
                "order18-art38-formalities-without-notice",
                "retest_formalities_on",
                "re-test formalities need the date of the re-test notice (retest_notified_on)",
            )
        elif formalities < notice:
            add(
                "order18-art38-formalities-before-notice",
                "retest_formalities_on",
                f"formalities on {formalities}, before the re-test notice of {notice}",
            )
        else:
            deadline = deadline_days(notice, FORMALITIES_DAYS, cal)
            if formalities > deadline:
                add(
                    "order18-art38-formalities-deadline",
                    "retest_formalities_on",
                    f"formalities on {formalities}, after the deadline {deadline} "
                    f"({FORMALITIES_DAYS} days from the re-test notice of {notice}); "
                    "the re-test is waived",
                )
    if (designated is None) != (lab is None):
        add(
            "order18-art39-retest-lab-and-date",
            "retest_lab" if lab is None else "retest_lab_designated_on",
            "a designated re-test lab needs both retest_lab and retest_lab_designated_on",
        )
    start = formalities or notice
    if designated is not None and start is not None and designated < start:
        add(
            "order18-art39-lab-before-formalities",
            "retest_lab_designated_on",
            f"re-test lab designated on {designated}, before {start}",
        )
    if lab is not None:
        first = attrs.get("lab")
        if not isinstance(first, str) or not first.strip():
            add(
                "order18-art39-first-lab-required",
                "lab",
                "the first lab (lab) is needed to check that the re-test lab differs from it",
            )
        elif same_lab(lab, first):
            add(
                "order18-art39-retest-lab-differs",
                "retest_lab",
                f"the re-test lab cannot be the lab of the first test ({first})",
            )
