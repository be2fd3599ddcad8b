"""Letter resources: templates, advice texts, labels, logo and fonts, checked when the app starts.

Everything a letter says lives in resources/letters/ and resources/advice/ so the service can
edit it; :func:`check_letter_resources` reports a missing or broken file at start, so nobody finds
out at the printer. Parsed files are cached by path and modification time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from physioline.core.letters.markup import Block, inserts, parse, placeholders, placeholders_in_text
from physioline.core.letters.model import (
    DESTINATIONS,
    DISPOSITIONS_MOST_SEVERE_FIRST,
    PATHWAYS,
    PROTOCOL_IDS,
    LetterKind,
    LetterResourceMissing,
)
from physioline.errors import DataFolderMissing
from physioline.paths import resources_dir

LETTERS_FOLDER = "letters"
ADVICE_FOLDER = "advice"
FONTS_FOLDER = "fonts"
LABELS_FILE = "labels.yaml"
LOGO_FILE = "logo.png"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

# Every {placeholder} a letter template, advice text or next-steps wording may use.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        # any letter
        "service_name",
        "service_phone",
        "service_phone_hours",
        "service_email",
        "service_website",
        "service_address",
        "patient_name",
        "patient_salutation",
        "patient_given_name",
        "patient_family_name",
        "nhs_number",
        "date_of_birth",
        "patient_address",
        "patient_address_lines",
        "letter_date",
        "referral_received",
        "reference",
        "gp_name",
        "gp_salutation",
        "gp_practice",
        "clinician_name",
        "clinician_profession",
        "clinician_registration",
        # after a call
        "region",
        "region_label",
        "assessed_on",
        "scores",
        "recommended_disposition",
        "chosen_disposition",
        "destination",
        "destination_patient",
        "pathway",
        "plan",
        "patient_summary",
        "next_steps",
        "override_reason",
        # appointment
        "appointment_date",
        "appointment_time",
        "appointment_when",
        "clinic",
        "clinic_name",
        "clinic_address",
        "clinic_address_lines",
        "clinic_postcode",
        "how_to_get_there",
        "step_free_access",
        "appointment_clinician",
        "appointment_type",
        # unable to contact
        "deadline",
        "days_to_respond",
        "attempt_count",
    }
)

_COMMON_BLOCKS = frozenset({"gap", "contact_block", "communication_needs"})
# The [[blocks]] each kind's template may use (their data exists only for that kind).
BLOCKS: Mapping[LetterKind, frozenset[str]] = {
    LetterKind.ADVICE: _COMMON_BLOCKS | {"advice", "safety_netting"},
    LetterKind.APPOINTMENT: _COMMON_BLOCKS,
    LetterKind.UNABLE_TO_CONTACT: _COMMON_BLOCKS | {"call_attempts"},
    LetterKind.GP: _COMMON_BLOCKS | {"red_flags_screened", "red_flags_found"},
}
# Blocks each template must contain: the advice letter always carries safety-netting advice.
REQUIRED_BLOCKS: Mapping[LetterKind, frozenset[str]] = {
    LetterKind.ADVICE: frozenset({"advice", "safety_netting"}),
    LetterKind.APPOINTMENT: frozenset(),
    LetterKind.UNABLE_TO_CONTACT: frozenset({"call_attempts"}),
    LetterKind.GP: frozenset({"red_flags_screened", "red_flags_found"}),
}

# Placeholders each template must use: the facts the letter exists to tell (the override line is
# required on the GP letter by clinical-spec.md section 10).
REQUIRED_PLACEHOLDERS: Mapping[LetterKind, frozenset[str]] = {
    LetterKind.ADVICE: frozenset({"next_steps", "service_phone"}),
    LetterKind.APPOINTMENT: frozenset(
        {"appointment_date", "appointment_time", "clinic", "service_phone"}
    ),
    LetterKind.UNABLE_TO_CONTACT: frozenset({"deadline", "service_phone"}),
    LetterKind.GP: frozenset(
        {
            "override_reason",
            "recommended_disposition",
            "chosen_disposition",
            "plan",
            "clinician_registration",
        }
    ),
}

# labels.yaml: section -> the keys it must have -> the sub-keys each entry must have ("" = text).
_LABEL_SHAPE: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "regions": (PROTOCOL_IDS, ("gp", "patient")),
    "dispositions": (DISPOSITIONS_MOST_SEVERE_FIRST, ("gp", "next_steps")),
    "destinations": (DESTINATIONS, ("gp", "patient")),
    "pathways": (PATHWAYS, ()),
    "communication_needs": (
        ("heading", "large_print", "easy_read", "braille", "interpreter", "carer"),
        (),
    ),
    "step_free_access": (("yes", "no"), ()),
    "override": (("escalated",), ()),
    "red_flags": (("found", "screened", "none_found", "none_screened"), ()),
    "letterhead": (
        ("tel", "hours", "email", "web", "date", "reference", "nhs_number", "continuation"),
        (),
    ),
    "footer": (("confidential", "page"), ()),
    "contact_block": (("heading",), ()),
    "defaults": (("gp_salutation", "destination_patient"), ()),
}


def template_name(kind: LetterKind) -> str:
    """The file name of a kind's template in resources/letters/."""
    return f"{kind.value}.txt"


def advice_name(protocol_id: str) -> str:
    """The self-management advice file for a body region, in resources/advice/."""
    return f"{protocol_id}.txt"


def safety_name(protocol_id: str) -> str:
    """The safety-netting advice file for a body region, in resources/advice/."""
    return f"{protocol_id}.safety.txt"


@functools.lru_cache(maxsize=4)
def _resources_folder(data_root_override: str | None) -> Path:
    """resources/, looked for once per data-root setting, not at every file a letter reads.

    (Finding it resolves and checks several candidate folders: half a millisecond a letter.)
    """
    return resources_dir()


def _path(*parts: str) -> Path:
    return _resources_folder(os.environ.get("PHYSIOLINE_DATA_ROOT")).joinpath(*parts)


def _existing(*parts: str) -> Path:
    path = _path(*parts)
    if not path.is_file():
        raise LetterResourceMissing(
            f"The letter file resources/{'/'.join(parts)} is missing.",
            "Reinstall PhysioLine or restore the file; PhysioLine lists every missing letter "
            "file when it starts.",
        )
    return path


@functools.lru_cache(maxsize=64)
def _parse_cached(path: str, mtime_ns: int) -> tuple[Block, ...]:
    return parse(Path(path).read_text(encoding="utf-8"))


def load_markup(*parts: str) -> tuple[Block, ...]:
    """The parsed blocks of a markup file under resources/.

    Raises:
        LetterResourceMissing: the file does not exist.
    """
    path = _existing(*parts)
    return _parse_cached(str(path), path.stat().st_mtime_ns)


def load_template(kind: LetterKind) -> tuple[Block, ...]:
    """The parsed template of a kind of letter."""
    return load_markup(LETTERS_FOLDER, template_name(kind))


def load_advice(protocol_id: str) -> tuple[Block, ...]:
    """The parsed self-management advice for a body region."""
    return load_markup(ADVICE_FOLDER, advice_name(protocol_id))


def load_safety_netting(protocol_id: str) -> tuple[Block, ...]:
    """The parsed safety-netting advice for a body region."""
    return load_markup(ADVICE_FOLDER, safety_name(protocol_id))


class Labels:
    """The wording of labels.yaml, looked up by section and key."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def text(self, section: str, key: str, sub: str | None = None) -> str:
        """One piece of wording, e.g. ``text("destinations", "rheumatology", "gp")``.

        Raises:
            LetterResourceMissing: the entry is missing (check_letter_resources reports it).
        """
        try:
            value = self._data[section][key]
            if sub is not None:
                value = value[sub]
        except (KeyError, TypeError) as exc:
            where = ".".join(p for p in (section, key, sub) if p)
            raise LetterResourceMissing(
                f"resources/letters/{LABELS_FILE} has no wording for {where}."
            ) from exc
        if not isinstance(value, str):
            where = ".".join(p for p in (section, key, sub) if p)
            raise LetterResourceMissing(f"resources/letters/{LABELS_FILE}: {where} is not text.")
        return " ".join(value.split()) if "\n" in value else value


@functools.lru_cache(maxsize=8)
def _labels_cached(path: str, mtime_ns: int) -> Labels:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise LetterResourceMissing(f"resources/letters/{LABELS_FILE} is not a YAML mapping.")
    return Labels(data)


def load_labels() -> Labels:
    """The parsed labels.yaml.

    Raises:
        LetterResourceMissing: the file is missing or is not a YAML mapping.
    """
    path = _existing(LETTERS_FOLDER, LABELS_FILE)
    try:
        return _labels_cached(str(path), path.stat().st_mtime_ns)
    except yaml.YAMLError as exc:
        raise LetterResourceMissing(
            f"resources/letters/{LABELS_FILE} is not valid YAML.", str(exc)
        ) from exc


def logo_path() -> Path:
    """The service logo printed top right of the first page."""
    return _existing(LETTERS_FOLDER, LOGO_FILE)


def font_path(file_name: str) -> Path:
    """A font file in resources/fonts/."""
    return _existing(FONTS_FOLDER, file_name)


def _check_markup(parts: tuple[str, ...], allowed_blocks: frozenset[str]) -> list[str]:
    shown = "resources/" + "/".join(parts)
    path = _path(*parts)
    if not path.is_file():
        return [f"{shown} is missing."]
    try:
        blocks = load_markup(*parts)
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{shown} cannot be read ({exc.__class__.__name__})."]
    problems: list[str] = []
    if not blocks:
        problems.append(f"{shown} is empty.")
    for name in sorted(placeholders(blocks) - PLACEHOLDERS):
        problems.append(f"{shown} uses an unknown placeholder {{{name}}}.")
    for name in sorted(inserts(blocks) - allowed_blocks):
        problems.append(f"{shown} uses an unknown block [[{name}]].")
    return problems


def _check_labels() -> list[str]:
    shown = f"resources/{LETTERS_FOLDER}/{LABELS_FILE}"
    if not _path(LETTERS_FOLDER, LABELS_FILE).is_file():
        return [f"{shown} is missing."]
    try:
        labels = load_labels()
    except LetterResourceMissing as exc:
        return [str(exc)]
    problems: list[str] = []
    for section, (keys, subs) in _LABEL_SHAPE.items():
        for key in keys:
            for sub in subs or (None,):
                try:
                    text = labels.text(section, key, sub)
                except LetterResourceMissing:
                    where = ".".join(p for p in (section, key, sub) if p)
                    problems.append(f"{shown} has no wording for {where}.")
                    continue
                if section == "dispositions":
                    for name in sorted(placeholders_in_text(text) - PLACEHOLDERS):
                        where = f"{section}.{key}.{sub}"
                        problems.append(f"{shown}: {where} uses an unknown placeholder {{{name}}}.")
    return problems


def check_letter_resources() -> list[str]:
    """Check every file letters need; return one sentence per problem (empty when all is well).

    Looks for the four templates, the advice and safety-netting texts of all nine body regions,
    labels.yaml (every disposition, destination, pathway and region id worded), the logo and the
    fonts. The app calls this at start, so a missing file is reported then, not at print time.
    """
    try:
        resources_dir()
    except DataFolderMissing as exc:
        return [str(exc)]
    problems: list[str] = []
    for kind in LetterKind:
        parts = (LETTERS_FOLDER, template_name(kind))
        problems += _check_markup(parts, BLOCKS[kind])
        if _path(*parts).is_file():
            blocks = load_markup(*parts)
            for name in sorted(REQUIRED_BLOCKS[kind] - inserts(blocks)):
                problems.append(f"resources/{'/'.join(parts)} must contain [[{name}]].")
            for name in sorted(REQUIRED_PLACEHOLDERS[kind] - placeholders(blocks)):
                problems.append(f"resources/{'/'.join(parts)} must contain {{{name}}}.")
    for protocol_id in PROTOCOL_IDS:
        problems += _check_markup((ADVICE_FOLDER, advice_name(protocol_id)), frozenset())
        problems += _check_markup((ADVICE_FOLDER, safety_name(protocol_id)), frozenset())
    problems += _check_labels()
    if not _path(LETTERS_FOLDER, LOGO_FILE).is_file():
        problems.append(f"resources/{LETTERS_FOLDER}/{LOGO_FILE} is missing.")
    for font in FONT_FILES:
        if not _path(FONTS_FOLDER, font).is_file():
            problems.append(f"resources/{FONTS_FOLDER}/{font} is missing.")
    return problems
