"""Unable-to-contact rule: which attempts count, spacing, outside office hours, what is needed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physioline.clock import LONDON
from physioline.core.contact import (
    AttemptResult,
    CallAttempt,
    ContactOutcome,
    ContactPolicy,
    is_outside_office_hours,
    unable_to_contact_decision,
)
from physioline.errors import InvalidInput

POLICY = ContactPolicy()  # 3 failed attempts, 2 h apart, one outside 09:00-17:00

KEEP = ContactOutcome.KEEP_TRYING
UTC_ = ContactOutcome.UNABLE_TO_CONTACT


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


def attempts(*spec: str) -> list[CallAttempt]:
    """Attempts from 'YYYY-MM-DD HH:MM result' strings, London wall time."""
    made = []
    for line in spec:
        day, clock, result = line.split()
        made.append(CallAttempt(london(f"{day} {clock}"), AttemptResult(result)))
    return made


# Mon 2 Mar 2026 is an ordinary Monday (GMT); Sat 7 Mar a Saturday.
CASES = [
    (
        "no attempts yet",
        [],
        POLICY,
        KEEP,
        0,
        "0 of 3 failed attempts; one attempt must be outside 9–5",
    ),
    (
        "three spaced, one in the evening",
        [
            "2026-03-02 10:00 no_answer",
            "2026-03-02 12:00 voicemail_left",
            "2026-03-02 17:30 no_answer",
        ],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "three spaced, early morning wrong number",
        [
            "2026-03-02 08:30 wrong_number",
            "2026-03-02 10:45 no_answer",
            "2026-03-02 13:00 no_answer",
        ],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "three spaced, all in office hours",
        ["2026-03-02 10:00 no_answer", "2026-03-02 12:00 no_answer", "2026-03-02 14:00 no_answer"],
        POLICY,
        KEEP,
        3,
        "3 of 3 failed attempts; next attempt must be outside 9–5, not before 17:00 on Mon 2 Mar",
    ),
    (
        # 11:00, 13:00 and a call from 17:00 make a chain: no need to wait until 18:00.
        "three in office hours, the last one late",
        ["2026-03-02 11:00 no_answer", "2026-03-02 13:00 no_answer", "2026-03-02 16:00 no_answer"],
        POLICY,
        KEEP,
        3,
        "3 of 3 failed attempts; next attempt must be outside 9–5, not before 17:00 on Mon 2 Mar",
    ),
    (
        "hourly attempts: the one in between does not count",
        ["2026-03-02 10:00 no_answer", "2026-03-02 11:00 no_answer", "2026-03-02 12:00 no_answer"],
        POLICY,
        KEEP,
        2,
        "2 of 3 failed attempts; 1 attempt too soon after another (less than 2 hours apart) "
        "not counted; next attempt not before 14:00 on Mon 2 Mar; one attempt must be outside 9–5",
    ),
    (
        "one minute short of the gap",
        ["2026-03-02 17:00 no_answer", "2026-03-02 18:59 no_answer"],
        POLICY,
        KEEP,
        1,
        "1 of 3 failed attempts; 1 attempt too soon after another (less than 2 hours apart) "
        "not counted; next attempt not before 19:00 on Mon 2 Mar",
    ),
    (
        "exactly the gap counts",
        ["2026-03-02 17:00 no_answer", "2026-03-02 19:00 no_answer", "2026-03-03 09:00 no_answer"],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "two so far, one after 5",
        ["2026-03-02 16:00 no_answer", "2026-03-02 18:15 voicemail_left"],
        POLICY,
        KEEP,
        2,
        "2 of 3 failed attempts; next attempt not before 20:15 on Mon 2 Mar",
    ),
    (
        # 17:10 is within 2 h of 15:30, so the earliest-first count skips it, but 17:10, 10:00
        # and 14:00 make a properly spaced chain with an evening call.
        "evening call too soon after an afternoon one still satisfies outside hours",
        [
            "2026-03-02 15:30 no_answer",
            "2026-03-02 17:10 no_answer",
            "2026-03-03 10:00 no_answer",
            "2026-03-03 14:00 no_answer",
        ],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "a Saturday call is outside office hours",
        ["2026-03-07 11:00 no_answer", "2026-03-09 10:00 no_answer", "2026-03-09 12:00 no_answer"],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "a bank-holiday call is outside office hours",
        ["2025-08-25 11:00 no_answer", "2025-08-26 10:00 no_answer", "2025-08-26 12:00 no_answer"],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "a service that does not count weekends as outside hours",
        ["2026-03-07 11:00 no_answer", "2026-03-09 10:00 no_answer", "2026-03-09 12:00 no_answer"],
        ContactPolicy(weekends_and_bank_holidays_are_outside_office_hours=False),
        KEEP,
        3,
        "3 of 3 failed attempts; next attempt must be outside 9–5, not before 17:00 on Mon 9 Mar",
    ),
    (
        "a service without evening cover",
        ["2026-03-02 10:00 no_answer", "2026-03-02 12:00 no_answer", "2026-03-02 14:00 no_answer"],
        ContactPolicy(require_one_outside_office_hours=False),
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "two attempts needed, 4 hours apart",
        ["2026-03-02 10:00 no_answer", "2026-03-02 13:00 no_answer", "2026-03-02 17:00 no_answer"],
        ContactPolicy(failed_attempts_needed=2, min_gap=timedelta(hours=4)),
        UTC_,
        2,
        "2 of 2 failed attempts: unable to contact",
    ),
    (
        "attempts given out of order",
        ["2026-03-02 17:30 no_answer", "2026-03-02 10:00 no_answer", "2026-03-02 12:00 no_answer"],
        POLICY,
        UTC_,
        3,
        "3 of 3 failed attempts: unable to contact",
    ),
    (
        "more counted than needed, none outside",
        [
            "2026-03-02 09:00 no_answer",
            "2026-03-02 11:00 no_answer",
            "2026-03-02 13:00 no_answer",
            "2026-03-02 15:00 no_answer",
        ],
        POLICY,
        KEEP,
        4,
        "4 failed attempts (3 needed); next attempt must be outside 9–5, "
        "not before 17:00 on Mon 2 Mar",
    ),
    (
        "office hours not on the hour",
        ["2026-03-02 10:00 no_answer", "2026-03-02 12:00 no_answer", "2026-03-02 17:15 no_answer"],
        ContactPolicy(office_opens=time(8, 30), office_closes=time(17, 30)),
        KEEP,
        3,
        "3 of 3 failed attempts; next attempt must be outside 08:30–17:30, "
        "not before 17:30 on Mon 2 Mar",
    ),
    (
        "answered after failed attempts: contact made",
        [
            "2026-03-02 10:00 no_answer",
            "2026-03-02 12:00 no_answer",
            "2026-03-02 17:30 answered",
        ],
        POLICY,
        ContactOutcome.CONTACTED,
        2,
        "patient answered",
    ),
    (
        "answered earlier, then three failed attempts: never unable to contact",
        [
            "2026-03-02 09:30 answered",
            "2026-03-02 12:00 no_answer",
            "2026-03-02 14:00 no_answer",
            "2026-03-02 17:30 no_answer",
        ],
        POLICY,
        ContactOutcome.CONTACTED,
        3,
        "patient answered",
    ),
    (
        "declined is not an unable-to-contact case",
        ["2026-03-02 10:00 no_answer", "2026-03-02 12:00 declined"],
        POLICY,
        ContactOutcome.DECLINED,
        1,
        "patient declined",
    ),
    (
        "declined after answering: the later one decides",
        ["2026-03-02 10:00 answered", "2026-03-02 12:00 declined"],
        POLICY,
        ContactOutcome.DECLINED,
        0,
        "patient declined",
    ),
    (
        "answered after declining: the later one decides",
        ["2026-03-02 10:00 declined", "2026-03-03 12:00 answered"],
        POLICY,
        ContactOutcome.CONTACTED,
        0,
        "patient answered",
    ),
]


@pytest.mark.parametrize(
    ("spec", "policy", "outcome", "counted", "summary"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_unable_to_contact_decision(
    spec: list[str], policy: ContactPolicy, outcome: ContactOutcome, counted: int, summary: str
) -> None:
    decision = unable_to_contact_decision(attempts(*spec), policy=policy)

    assert decision.outcome is outcome
    assert decision.counted_attempts == counted
    assert decision.summary == summary
    assert decision.should_mark_unable_to_contact is (outcome is UTC_)


def test_decision_reports_the_numbers_behind_the_sentence() -> None:
    decision = unable_to_contact_decision(
        attempts("2026-03-02 10:00 no_answer", "2026-03-02 11:00 voicemail_left"), policy=POLICY
    )

    assert decision.failed_attempts == 2
    assert decision.counted_attempts == 1
    assert decision.attempts_needed == 3
    assert not decision.outside_office_hours_met
    assert decision.next_attempt_not_before == london("2026-03-02 12:00")


def test_next_attempt_time_is_shown_in_london_summer_time() -> None:
    decision = unable_to_contact_decision(attempts("2026-07-01 10:00 no_answer"), policy=POLICY)

    assert decision.next_attempt_not_before == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert "next attempt not before 12:00 on Wed 1 Jul" in decision.summary


@pytest.mark.parametrize(
    ("wall", "outside"),
    [
        ("2026-03-02 08:59", True),
        ("2026-03-02 09:00", False),
        ("2026-03-02 16:59", False),
        ("2026-03-02 17:00", True),  # 17:00 itself is outside 9-5
        ("2026-07-01 17:30", True),  # BST: 16:30 UTC but 17:30 on the patient's clock
        ("2026-07-01 16:30", False),
        ("2026-03-08 12:00", True),  # Sunday
        ("2026-12-28 12:00", True),  # Boxing Day observed
    ],
)
def test_outside_office_hours_uses_london_wall_time(wall: str, outside: bool) -> None:
    assert is_outside_office_hours(london(wall), POLICY) is outside


def test_call_attempt_refuses_naive_times_and_unknown_results() -> None:
    with pytest.raises(ValueError, match="naive"):
        CallAttempt(datetime(2026, 3, 2, 10, 0), AttemptResult.NO_ANSWER)  # noqa: DTZ001
    with pytest.raises(ValueError, match="engaged"):
        CallAttempt(london("2026-03-02 10:00"), "engaged")  # type: ignore[arg-type]


def test_call_attempt_accepts_a_stored_result_string() -> None:
    attempt = CallAttempt(london("2026-03-02 10:00"), "voicemail_left")  # type: ignore[arg-type]

    assert attempt.result is AttemptResult.VOICEMAIL_LEFT
    assert attempt.failed


def test_attempt_results_are_exactly_the_five_the_desk_records() -> None:
    assert [result.value for result in AttemptResult] == [
        "answered",
        "no_answer",
        "voicemail_left",
        "wrong_number",
        "declined",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"failed_attempts_needed": 0}, "at least 1"),
        ({"min_gap": timedelta(hours=-1)}, "negative"),
        ({"office_opens": time(17), "office_closes": time(9)}, "close before they open"),
    ],
)
def test_impossible_policies_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ContactPolicy(**fields)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------------

FAILED = [AttemptResult.NO_ANSWER, AttemptResult.VOICEMAIL_LEFT, AttemptResult.WRONG_NUMBER]

attempt_lists = st.lists(
    st.builds(
        CallAttempt,
        at=st.integers(min_value=0, max_value=4 * 24 * 4).map(
            # quarter hours from Mon 2 Mar 2026 00:00 over four days
            lambda quarter: london("2026-03-02 00:00") + timedelta(minutes=15 * quarter)
        ),
        result=st.sampled_from(FAILED),
    ),
    max_size=7,
)


def _brute_force_unable_to_contact(made: list[CallAttempt], policy: ContactPolicy) -> bool:
    """Oracle: is there any set of attempts, each min_gap after the last, meeting the rule?"""
    ordered = sorted(made, key=lambda attempt: attempt.at)
    for chosen in itertools.combinations(ordered, policy.failed_attempts_needed):
        spaced = all(b.at - a.at >= policy.min_gap for a, b in itertools.pairwise(chosen))
        outside = not policy.require_one_outside_office_hours or any(
            is_outside_office_hours(attempt.at, policy) for attempt in chosen
        )
        if spaced and outside:
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(made=attempt_lists, needed=st.integers(min_value=1, max_value=4))
def test_decision_matches_searching_every_set_of_attempts(
    made: list[CallAttempt], needed: int
) -> None:
    policy = ContactPolicy(failed_attempts_needed=needed)

    decision = unable_to_contact_decision(made, policy=policy)

    assert decision.should_mark_unable_to_contact is _brute_force_unable_to_contact(made, policy)


@settings(max_examples=200, deadline=None)
@given(made=attempt_lists, data=st.data())
def test_decision_does_not_depend_on_the_order_attempts_are_given(
    made: list[CallAttempt], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(made))

    assert unable_to_contact_decision(shuffled, policy=POLICY) == unable_to_contact_decision(
        made, policy=POLICY
    )


@settings(max_examples=200, deadline=None)
@given(made=attempt_lists, answered_at=st.integers(min_value=0, max_value=400))
def test_an_answered_call_always_prevents_unable_to_contact(
    made: list[CallAttempt], answered_at: int
) -> None:
    answered = CallAttempt(
        london("2026-03-02 00:00") + timedelta(minutes=15 * answered_at), AttemptResult.ANSWERED
    )

    decision = unable_to_contact_decision([*made, answered], policy=POLICY)

    assert decision.outcome is ContactOutcome.CONTACTED


@settings(max_examples=200, deadline=None)
@given(made=attempt_lists, needed=st.integers(min_value=1, max_value=4))
def test_a_call_at_the_time_given_makes_progress_and_not_a_minute_earlier(
    made: list[CallAttempt], needed: int
) -> None:
    policy = ContactPolicy(failed_attempts_needed=needed)
    decision = unable_to_contact_decision(made, policy=policy)
    if decision.next_attempt_not_before is None:
        return
    at = decision.next_attempt_not_before

    def with_attempt_at(moment: datetime) -> list[CallAttempt]:
        return [*made, CallAttempt(moment, AttemptResult.NO_ANSWER)]

    then = unable_to_contact_decision(with_attempt_at(at), policy=policy)
    if decision.counted_attempts < needed:
        assert then.counted_attempts == decision.counted_attempts + 1
    else:
        assert then.should_mark_unable_to_contact
    # The next call is made after those so far: a minute earlier, if still after them, is too soon.
    earlier = at - timedelta(minutes=1)
    if earlier >= max(attempt.at for attempt in made):
        too_soon = unable_to_contact_decision(with_attempt_at(earlier), policy=policy)
        if decision.counted_attempts < needed:
            assert too_soon.counted_attempts == decision.counted_attempts
        assert not too_soon.should_mark_unable_to_contact
