"""Unable to contact: when enough failed call attempts let a referral go back to the GP.

After the service's configured number of failed call attempts (default 3), spaced at least a
minimum gap apart (default 2 hours), with at least one outside office hours where the service
allows, a referral moves to "unable to contact" and an unable-to-contact letter is queued.

How call results count (decisions for the clinical lead):

* ``no_answer``, ``voicemail_left`` and ``wrong_number`` are **failed** contact attempts. A wrong
  number counts because the service did try the number the GP gave; the clinician should still
  check other numbers on the record before the third attempt.
* ``answered`` ends the need: once anyone at the service has spoken to the patient, this rule never
  sends them an unable-to-contact letter, whatever failed attempts come before or after. A call
  that was answered but cut short is followed up by the clinician, not discharged by this rule;
  keeping the referral open is the safer error.
* ``declined`` means the patient was reached and declined the call or the service. That is
  contact, not an unable-to-contact case: the referral needs the clinician's "declined" outcome and
  its own letter, so the rule reports it and never counts it as a failed attempt. A call rejected
  before anyone spoke should be recorded as ``no_answer``.
* If both ``answered`` and ``declined`` attempts exist, the later of them decides.

How spacing counts: failed attempts are taken in time order; one closer than ``min_gap`` to the
previous *counted* attempt does not count toward the total (ringing twice in ten minutes is one
try). An attempt exactly ``min_gap`` after the previous counted one counts.

Outside office hours means before ``office_opens`` or from ``office_closes`` onwards (Europe/London
wall time; 17:00 itself is outside), and by default any time on a Saturday, Sunday or England and
Wales bank holiday. The requirement is met when some chain of the required number of failed
attempts, each at least ``min_gap`` after the one before, includes an attempt outside office
hours. (So an evening attempt made too soon after a daytime one still satisfies it if the evening
one and later attempts make up a properly spaced chain.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from physioline.clock import LONDON
from physioline.core.due import is_bank_holiday, london_wall_time, require_aware
from physioline.errors import InvalidInput


class AttemptResult(StrEnum):
    """What happened on one call attempt."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    VOICEMAIL_LEFT = "voicemail_left"
    WRONG_NUMBER = "wrong_number"
    DECLINED = "declined"


FAILED_RESULTS: frozenset[AttemptResult] = frozenset(
    {AttemptResult.NO_ANSWER, AttemptResult.VOICEMAIL_LEFT, AttemptResult.WRONG_NUMBER}
)
"""Results that count as a failed contact attempt toward "unable to contact"."""


class ContactOutcome(StrEnum):
    """What the call attempts so far mean for the referral."""

    CONTACTED = "contacted"
    """The patient answered: carry on with the call's assessment; never unable to contact."""
    DECLINED = "declined"
    """The patient was reached and declined: the clinician records the declined outcome."""
    UNABLE_TO_CONTACT = "unable_to_contact"
    """Enough failed attempts: move the referral to "unable to contact" and queue the letter."""
    KEEP_TRYING = "keep_trying"
    """Not yet enough failed attempts: ``reasons`` says what is still needed."""


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """The service's unable-to-contact settings.

    Attributes:
        failed_attempts_needed: counted failed attempts before "unable to contact" (default 3).
        min_gap: minimum time between counted attempts (default 2 hours).
        require_one_outside_office_hours: whether one counted attempt must be outside office
            hours (default True; a service without evening or weekend cover switches it off).
        office_opens: start of office hours, Europe/London wall time (default 09:00).
        office_closes: end of office hours, Europe/London wall time (default 17:00).
        weekends_and_bank_holidays_are_outside_office_hours: whether any attempt on a Saturday,
            Sunday or England and Wales bank holiday counts as outside office hours (default True:
            a patient who works 9-5 on weekdays is as reachable then as in the evening).

    Raises:
        InvalidInput: if a value is out of range, with a message naming the setting.
    """

    failed_attempts_needed: int = 3
    min_gap: timedelta = timedelta(hours=2)
    require_one_outside_office_hours: bool = True
    office_opens: time = time(9, 0)
    office_closes: time = time(17, 0)
    weekends_and_bank_holidays_are_outside_office_hours: bool = True

    def __post_init__(self) -> None:
        if self.failed_attempts_needed < 1:
            raise InvalidInput(
                f"Failed attempts needed for unable to contact must be at least 1, "
                f"not {self.failed_attempts_needed}.",
            )
        if self.min_gap < timedelta(0):
            raise InvalidInput("The minimum gap between call attempts must not be negative.")
        if self.office_opens >= self.office_closes:
            raise InvalidInput(
                f"Office hours {self.office_opens:%H:%M}-{self.office_closes:%H:%M} close before "
                "they open.",
            )

    @property
    def office_hours_label(self) -> str:
        """Office hours as clinicians say them: "9–5", or "08:30–17:30" when not on the hour."""
        opens, closes = self.office_opens, self.office_closes
        if opens.minute == closes.minute == 0 and 1 <= opens.hour <= 12 < closes.hour:
            return f"{opens.hour}–{closes.hour - 12}"
        return f"{opens:%H:%M}–{closes:%H:%M}"


@dataclass(frozen=True, slots=True)
class CallAttempt:
    """One call attempt to a referral's patient.

    Attributes:
        at: when the call was made; timezone-aware, stored in UTC.
        result: what happened; a plain string value of :class:`AttemptResult` is accepted.

    Raises:
        ValueError: if ``at`` is naive or ``result`` is not a known result.
    """

    at: datetime
    result: AttemptResult

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", require_aware(self.at, "at"))
        object.__setattr__(self, "result", AttemptResult(self.result))

    @property
    def failed(self) -> bool:
        """Whether this attempt counts as a failed contact attempt."""
        return self.result in FAILED_RESULTS


@dataclass(frozen=True, slots=True)
class ContactDecision:
    """What the rule decided, with enough detail for the worklist to say what is still needed.

    Attributes:
        outcome: the decision.
        failed_attempts: all failed attempts recorded, counted or not.
        counted_attempts: failed attempts that count toward the total after spacing.
        attempts_needed: the policy's ``failed_attempts_needed``.
        outside_office_hours_met: whether the outside-office-hours requirement is met (True when
            the policy does not require it).
        next_attempt_not_before: earliest time, after the attempts so far, at which the next
            failed attempt would count (and, once enough have counted, complete the rule), UTC;
            None unless the outcome is ``KEEP_TRYING`` with at least one counted attempt.
        reasons: plain sentences for the clinician, e.g. "2 of 3 failed attempts".
    """

    outcome: ContactOutcome
    failed_attempts: int
    counted_attempts: int
    attempts_needed: int
    outside_office_hours_met: bool
    next_attempt_not_before: datetime | None
    reasons: tuple[str, ...]

    @property
    def should_mark_unable_to_contact(self) -> bool:
        """Whether the referral should now move to "unable to contact"."""
        return self.outcome is ContactOutcome.UNABLE_TO_CONTACT

    @property
    def summary(self) -> str:
        """The reasons as one line for the worklist."""
        return "; ".join(self.reasons)


def is_outside_office_hours(at: datetime, policy: ContactPolicy) -> bool:
    """Tell whether a call at ``at`` was outside the policy's office hours (Europe/London).

    Raises:
        ValueError: if ``at`` is naive.
    """
    local = require_aware(at, "at").astimezone(LONDON)
    if policy.weekends_and_bank_holidays_are_outside_office_hours and (
        local.weekday() >= 5 or is_bank_holiday(local.date())
    ):
        return True
    wall = local.time().replace(tzinfo=None)
    return wall < policy.office_opens or wall >= policy.office_closes


def unable_to_contact_decision(
    attempts: Iterable[CallAttempt], *, policy: ContactPolicy
) -> ContactDecision:
    """Decide whether a referral should move to "unable to contact", and if not, why not.

    Attempts may come in any order. The rule is the one in this module's docstring.

    Args:
        attempts: every call attempt recorded for the referral.
        policy: the service's unable-to-contact settings.

    Returns:
        The decision. Its outcome is ``UNABLE_TO_CONTACT`` exactly when nobody answered or
        declined, and there is a chain of ``failed_attempts_needed`` failed attempts each at least
        ``min_gap`` after the one before, including one outside office hours if the policy requires.
    """
    ordered = sorted(attempts, key=lambda attempt: attempt.at)
    failed = [attempt for attempt in ordered if attempt.failed]
    needed = policy.failed_attempts_needed

    counted = _spaced_chain(failed, policy.min_gap)
    if policy.require_one_outside_office_hours:
        # Met when a chain as long as the longest (up to the number needed) includes an
        # outside-hours attempt; with enough attempts that is exactly the unable-to-contact test.
        with_outside = _longest_chain_with_outside_attempt(failed, policy)
        outside_met = with_outside >= max(1, min(len(counted), needed))
    else:
        outside_met = True

    reached = [
        attempt
        for attempt in ordered
        if attempt.result in (AttemptResult.ANSWERED, AttemptResult.DECLINED)
    ]
    if reached:
        if reached[-1].result is AttemptResult.ANSWERED:
            outcome, why = ContactOutcome.CONTACTED, "patient answered"
        else:
            outcome, why = ContactOutcome.DECLINED, "patient declined"
        return ContactDecision(
            outcome=outcome,
            failed_attempts=len(failed),
            counted_attempts=len(counted),
            attempts_needed=needed,
            outside_office_hours_met=outside_met,
            next_attempt_not_before=None,
            reasons=(why,),
        )

    if len(counted) >= needed and outside_met:
        return ContactDecision(
            outcome=ContactOutcome.UNABLE_TO_CONTACT,
            failed_attempts=len(failed),
            counted_attempts=len(counted),
            attempts_needed=needed,
            outside_office_hours_met=True,
            next_attempt_not_before=None,
            reasons=(f"{len(counted)} failed attempts ({needed} needed): unable to contact",)
            if len(counted) > needed
            else (f"{len(counted)} of {needed} failed attempts: unable to contact",),
        )

    if len(counted) > needed:
        reasons = [f"{len(counted)} failed attempts ({needed} needed)"]
    else:
        reasons = [f"{len(counted)} of {needed} failed attempts"]
    if len(failed) > len(counted):
        too_close = len(failed) - len(counted)
        reasons.append(
            f"{too_close} attempt{'s' if too_close > 1 else ''} too soon after another "
            f"(less than {_format_gap(policy.min_gap)} apart) not counted"
        )
    next_not_before = counted[-1].at + policy.min_gap if counted else None
    outside_label = policy.office_hours_label
    if next_not_before is not None and len(counted) >= needed:
        # Enough attempts, none outside office hours: only an outside one, made after those so
        # far, can finish the chain. It must follow a chain of needed - 1 attempts by min_gap; the
        # earliest such chain ends at counted[needed - 2] (earliest-first greedy ends every
        # length of chain earliest).
        earliest = failed[-1].at
        if needed > 1:
            earliest = max(earliest, counted[needed - 2].at + policy.min_gap)
        next_not_before = _first_outside_office_hours(earliest, policy)
        reasons.append(
            f"next attempt must be outside {outside_label}, "
            f"not before {_format_local(next_not_before)}"
        )
    else:
        if next_not_before is not None:
            reasons.append(f"next attempt not before {_format_local(next_not_before)}")
        if not outside_met:
            reasons.append(f"one attempt must be outside {outside_label}")
    return ContactDecision(
        outcome=ContactOutcome.KEEP_TRYING,
        failed_attempts=len(failed),
        counted_attempts=len(counted),
        attempts_needed=needed,
        outside_office_hours_met=outside_met,
        next_attempt_not_before=next_not_before,
        reasons=tuple(reasons),
    )


def _first_outside_office_hours(at: datetime, policy: ContactPolicy) -> datetime:
    if is_outside_office_hours(at, policy):
        return at
    return london_wall_time(at.astimezone(LONDON).date(), policy.office_closes)


def _spaced_chain(failed: Sequence[CallAttempt], gap: timedelta) -> list[CallAttempt]:
    # Earliest-first greedy: the longest possible chain, each counted attempt as early as possible,
    # so the last counted attempt + gap is the earliest moment another attempt can count.
    chain: list[CallAttempt] = []
    for attempt in failed:
        if not chain or attempt.at - chain[-1].at >= gap:
            chain.append(attempt)
    return chain


def _longest_chain_with_outside_attempt(
    failed: Sequence[CallAttempt], policy: ContactPolicy
) -> int:
    # The longest spaced chain through one outside-hours attempt is the longest spaced chain that
    # ends at least a gap before it (latest-first greedy backwards), plus it, plus the longest that
    # starts at least a gap after it (earliest-first greedy forwards). Take the best over all of
    # them. Attempts per referral are few, so quadratic is fine.
    gap = policy.min_gap
    best = 0
    for index, pivot in enumerate(failed):
        if not is_outside_office_hours(pivot.at, policy):
            continue
        before = 0
        boundary = pivot.at - gap
        for attempt in reversed(failed[:index]):
            if attempt.at <= boundary:
                before += 1
                boundary = attempt.at - gap
        later = [attempt for attempt in failed[index + 1 :] if attempt.at >= pivot.at + gap]
        best = max(best, before + 1 + len(_spaced_chain(later, gap)))
    return best


def _format_gap(gap: timedelta) -> str:
    minutes = int(gap.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours and not mins:
        return f"{hours} hour{'s' if hours > 1 else ''}"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"


def _format_local(at: datetime) -> str:
    local = at.astimezone(LONDON)
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b}"
