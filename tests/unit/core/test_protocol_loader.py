"""Protocol loading and checking: problems name file and line; a broken file loads nothing."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from physioline.core.conditions import notation
from physioline.core.protocol import (
    ProtocolCheckFailed,
    ProtocolProblem,
    TriageProtocol,
    UnknownProtocol,
    check_paths,
    load_all,
    load_protocol,
    load_protocol_bytes,
    load_protocol_file,
    schema_path,
)
from physioline.core.vocabulary import (
    DESTINATIONS_BY_PRECEDENCE,
    DISPOSITIONS_MOST_SEVERE_FIRST,
    PROTOCOL_IDS,
    SECTION_IDS,
    ItemType,
    YellowFlagTool,
)
from physioline.errors import InvalidInput, ProtocolFileError
from physioline.paths import protocols_dir


@functools.cache
def shipped_text(protocol_id: str) -> str:
    return (protocols_dir() / f"{protocol_id}.yaml").read_text(encoding="utf-8")


def problems_in(text: str | bytes, name: str = "knee.yaml") -> list[ProtocolProblem]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ProtocolCheckFailed) as caught:
        load_protocol_bytes(data, name)
    assert caught.value.problems
    return list(caught.value.problems)


def line_of(text: str, fragment: str) -> int:
    assert text.count(fragment) >= 1, fragment
    return text[: text.index(fragment)].count("\n") + 1


def mutate(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------------------------
# The shipped protocols


def test_every_shipped_protocol_loads_with_its_exact_bytes_and_hash() -> None:
    protocols = load_all()
    assert list(protocols) == list(PROTOCOL_IDS)
    for protocol_id, protocol in protocols.items():
        data = (protocols_dir() / f"{protocol_id}.yaml").read_bytes()
        assert protocol.id == protocol_id
        assert protocol.version == "1.1.1"
        assert protocol.file_bytes == data
        assert protocol.sha256 == hashlib.sha256(data).hexdigest()
        assert len(protocol.sha256) == 64
        assert protocol.sha256 == protocol.sha256.lower()


#: Every shipped protocol file, pinned by version to the SHA-256 of its bytes. Assessments store
#: the bytes under this hash, so two different files must never share a version: any edit to a
#: protocol file (even a comment) is a new version, with this pin, the hazard log and the tests
#: updated in the same change (protocols/README.md).
PINNED_VERSIONS = {
    "lumbar": ("1.1.1", "27931f6e47c402e9da521020e56e482b4ab339f6d61fd0e41932d3663f0e6deb"),
    "thoracic": ("1.1.1", "65c93bf54203c42c7ead2bb01903fc5e79996e621e14571bd0be85b236a0e5d4"),
    "cervical": ("1.1.1", "a5cf4aedcf4bb1baf96a6215972bea5f718cd780f3fa2d85f3a55b4087634e52"),
    "shoulder": ("1.1.1", "7281bfe816a2e5d6d05f73ccf207960f05f24f5b95304acf6623ef6b2dd6e55e"),
    "elbow": ("1.1.1", "d8c943b0a8f42ab84e4659498284462ae1267cad2e17d555f2240a52a27b69a4"),
    "wrist_hand": ("1.1.1", "df4a1e75b6bc8d941c73b0629b7375b718a7227e487150b377a5fb5d1eb44c27"),
    "hip": ("1.1.1", "bbf6e7f6d380287d32a5b9c0f8d8bc059da7cd13fbafd7a26f6c86937c6b0e14"),
    "knee": ("1.1.1", "c1d8ae1173d3d6f438341d29bd75f46ec7b4b156acac4df9b720ebe262078349"),
    "foot_ankle": ("1.1.1", "d6f911310b0685d81b7d8c812b83f402e511315039e769fc5bfe9c687b129cd2"),
}


def test_shipped_protocol_content_is_pinned_to_its_version() -> None:
    protocols = load_all()
    assert set(PINNED_VERSIONS) == set(protocols)
    for protocol_id, protocol in protocols.items():
        version, sha256 = PINNED_VERSIONS[protocol_id]
        assert (protocol.version, protocol.sha256) == (version, sha256), (
            f"{protocol_id}.yaml changed: give it a new version and update this pin, the hazard "
            "log and the tests together (protocols/README.md)"
        )


#: An internal reference (clinical-spec.md, "spec 2.3", "decision 15") means nothing to a
#: physiotherapist on a call; such references belong in ``sources``, ``decisions`` and comments.
INTERNAL_REFERENCE = re.compile(
    r"\bspec\b|clinical-spec|\bdecisions? \d|\bsection \d", re.IGNORECASE
)


def test_texts_shown_to_the_clinician_cite_no_internal_document() -> None:
    for protocol_id, protocol in load_all().items():
        shown = [protocol.title]
        for section in protocol.sections:
            shown += [section.title, section.guidance or ""]
        for item in protocol.items:
            shown += [item.question, item.note or "", *(o.label for o in item.options)]
        shown += [text for rule in protocol.red_flags for text in (rule.title, rule.action)]
        shown += [advisory.text for advisory in protocol.advisories]
        cited = [text for text in shown if INTERNAL_REFERENCE.search(text)]
        assert not cited, f"{protocol_id}.yaml shows an internal reference: {cited}"


def test_a_protocol_reloaded_from_stored_bytes_is_the_same_protocol() -> None:
    knee = load_protocol("knee")
    again = load_protocol_bytes(knee.file_bytes, "database:protocol_version/" + knee.sha256)
    assert again == knee
    assert again.source_name.startswith("database:")


def test_loaded_protocol_is_immutable() -> None:
    knee = load_protocol("knee")
    with pytest.raises(dataclasses.FrozenInstanceError):
        knee.version = "9.9.9"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        knee.red_flags[0].disposition = "self_management"  # type: ignore[misc]
    with pytest.raises(TypeError):
        knee.items_by_id["knee.locked"] = knee.items[0]  # type: ignore[index]
    assert isinstance(knee.items, tuple)
    assert isinstance(knee.red_flags, tuple)
    assert isinstance(knee.file_bytes, bytes)


def test_unknown_protocol_id_is_invalid_input_naming_it() -> None:
    with pytest.raises(UnknownProtocol, match='"neck"') as caught:
        load_protocol("neck")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.exit_status == 2


def test_header_sections_and_item_classes() -> None:
    for protocol in load_all().values():
        assert protocol.title.strip()
        assert protocol.sources
        assert protocol.reviewed_by.strip()
        assert tuple(s.id for s in protocol.sections) == SECTION_IDS
        tool_section = protocol.sections[SECTION_IDS.index("yellow_flags")]
        assert tool_section.item_ids == tuple(i.id for i in protocol.tool_items)
        assert [i.id for i in protocol.items if i.is_text] == ["general.notes"]
        general = [i.id for i in protocol.items if i.id.startswith("general.")]
        assert general == [
            "general.age",
            "general.trauma",
            "general.notes",
            "general.history_of_cancer",
            "general.unexplained_weight_loss",
            "general.non_mechanical_pain",
            "general.fever_or_unwell",
            "general.infection_risk",
            "general.osteoporosis_or_steroids",
        ]
        for item in protocol.items:
            if item.is_ability_question:
                assert item.type is ItemType.CHOICE
                assert item.option_ids == ("yes", "no")
        for rule in protocol.red_flags:
            assert rule.action.strip()
            assert rule.sources


@pytest.mark.parametrize(
    ("protocol_id", "item_id", "question"),
    [
        ("knee", "general.age", "Can I confirm your age?"),
        (
            "hip",
            "hip.can_weight_bear",
            "Can you stand on that leg and take a few steps, even with a limp?",
        ),
        (
            "knee",
            "knee.can_weight_bear",
            "Can you take four steps on that leg now, even with a limp?",
        ),
        (
            "knee",
            "knee.locked",
            "Is your knee locked — stuck in a bent position so that it will only straighten part "
            "of the way?",
        ),
        (
            "cervical",
            "cervical.drop_attacks",
            "Since this neck problem started, have you suddenly fallen or collapsed to the ground "
            "without warning, whether or not you blacked out?",
        ),
        (
            "lumbar",
            "lumbar.one_leg_numbness_or_weakness",
            "Do you have numbness or weakness in **one** leg?",
        ),
        (
            "lumbar",
            "sbt.5",
            "It's not really safe for a person with a condition like mine to be physically active.",
        ),
        (
            "elbow",
            "elbow.persistent_swelling",
            "Have you had swelling in one or more joints — not just pain — for several weeks, "
            "without an injury to explain it?",
        ),
        (
            "foot_ankle",
            "foot_ankle.small_joints_affected",
            "Are the small joints of your fingers or toes swollen?",
        ),
        (
            "shoulder",
            "smsk.1",
            "On average over the last 2 weeks, how intense was your pain, from 0 (no pain) to 10 "
            "(worst imaginable)?",
        ),
    ],
)
def test_questions_are_word_for_word_from_the_spec(
    protocol_id: str, item_id: str, question: str
) -> None:
    assert load_protocol(protocol_id).item(item_id).question == question


def test_schema_vocabulary_is_the_spec_vocabulary() -> None:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert schema["properties"]["id"]["enum"] == list(PROTOCOL_IDS)
    assert defs["disposition"]["enum"] == [d.value for d in DISPOSITIONS_MOST_SEVERE_FIRST]
    assert defs["destination"]["enum"] == [d.value for d in DESTINATIONS_BY_PRECEDENCE] + [None]
    assert schema["properties"]["yellow_flag_tool"]["enum"] == [t.value for t in YellowFlagTool]
    assert defs["section"]["properties"]["id"]["enum"] == list(SECTION_IDS)
    assert defs["item"]["properties"]["type"]["enum"] == [t.value for t in ItemType]


def test_plain_no_in_yaml_stays_the_option_id_no() -> None:
    # YAML 1.1 would read an unquoted no as false; the loader reads YAML 1.2-style scalars.
    text = shipped_text("knee").replace('{id: "no", label', "{id: no, label")
    text = text.replace('in: ["no"]', "in: [no]")
    assert 'id: "no"' not in text
    knee = load_protocol_bytes(text.encode(), "knee.yaml")
    assert knee.item("knee.can_weight_bear").option_ids == ("yes", "no")
    assert "knee.can_weight_bear == no" in notation(knee.red_flag("rf.knee_fracture").condition)


# --------------------------------------------------------------------------------------------
# Problems, each with the line it is on

# (protocol, text replaced, replacement, expected message fragment, text on the expected line)
BROKEN = [
    pytest.param(
        "knee",
        'action: "X-ray today"',
        "action: X-ray: today",
        "YAML syntax",
        "action: X-ray: today",
        id="malformed-yaml",
    ),
    pytest.param(
        "knee",
        'title: "Knee"\n',
        'title: "Knee"\ntitle: "Knee again"\n',
        "duplicate key 'title'",
        'title: "Knee again"',
        id="duplicate-top-level-key",
    ),
    pytest.param(
        "knee",
        "    disposition: urgent_referral\n    destination: orthopaedics_urgent\n",
        "    disposition: urgent_referral\n    disposition: self_management\n"
        "    destination: orthopaedics_urgent\n",
        "duplicate key 'disposition'",
        "disposition: self_management",
        id="duplicate-key-would-silently-downgrade",
    ),
    pytest.param(
        "knee",
        "destination: urgent_treatment_centre",
        "destination: fracture_clinic",
        '"fracture_clinic" is not allowed here; use one of: emergency_department',
        "destination: fracture_clinic",
        id="destination-outside-spec",
    ),
    pytest.param(
        "knee",
        "disposition: urgent_referral",
        "disposition: urgent",
        '"urgent" is not allowed here; use one of: emergency, urgent_referral',
        "disposition: urgent\n",
        id="disposition-outside-spec",
    ),
    pytest.param(
        "knee",
        '    action: "acute knee clinic within 2 weeks (meniscal repair window)"\n',
        "",
        "'action' is a required property",
        "- id: rf.locked_knee",
        id="red-flag-without-action",
    ),
    pytest.param(
        "knee",
        'action: "acute knee clinic within 2 weeks (meniscal repair window)"',
        'action: "   "',
        "does not match",
        'action: "   "',
        id="red-flag-with-blank-action",
    ),
    pytest.param(
        "knee",
        '    sources:\n      - "NICE CKS knee pain"\n      - "NHS acute knee pathways"\n',
        "    sources: []\n",
        "should be non-empty",
        "sources: []",
        id="red-flag-without-source",
    ),
    pytest.param(
        "knee",
        "        type: bool\n",
        "        type: bool\n        colour: red\n",
        "'colour' was unexpected",
        "- id: general.history_of_cancer",
        id="unknown-property",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: {item: knee.lockd, is: true}",
        "rf.locked_knee names unknown item knee.lockd",
        "item: knee.lockd",
        id="rule-names-unknown-item",
    ),
    pytest.param(
        "knee",
        "{item: general.trauma, in: [major]}",
        "{item: general.trauma, in: [severe]}",
        "unknown option 'severe' of general.trauma",
        "in: [severe]",
        id="rule-names-unknown-option",
    ),
    pytest.param(
        "knee",
        "show_if: {item: knee.persistent_swelling, is: true}",
        "show_if: {item: knee.persistent_swellin, is: true}",
        "knee.small_joints_affected names unknown item knee.persistent_swellin",
        "knee.persistent_swellin,",
        id="show-if-names-unknown-item",
    ),
    pytest.param(
        "knee",
        "      - id: knee.multiple_joints_swollen\n",
        "      - id: knee.small_joints_affected\n",
        "duplicate item id knee.small_joints_affected (first defined at line",
        '- id: knee.small_joints_affected\n        type: bool\n        question: "Is more',
        id="duplicate-item-id",
    ),
    pytest.param(
        "knee",
        "  - id: rf.locked_knee\n",
        "  - id: rf.dvt\n",
        "duplicate red flag id rf.dvt",
        '- id: rf.dvt\n    title: "Locked knee"',
        id="duplicate-red-flag-id",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: {item: knee.locked, is: false}",
        "no negation",
        "is: false",
        id="negation-refused",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        'condition: {item: knee.locked, op: ">=", value: 1}',
        "tests knee.locked with a comparison (op, value), which needs a int item",
        "{item: knee.locked, op:",
        id="comparison-on-a-bool",
    ),
    pytest.param(
        "knee",
        '{item: general.age, op: ">=", value: 55}',
        "{item: general.age, is: true}",
        "needs a bool item; general.age is int",
        "{item: general.age, is: true}",
        id="is-true-on-an-int",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: {item: general.age, in: [major]}",
        "needs a choice item; general.age is int",
        "{item: general.age, in: [major]}",
        id="in-on-an-int",
    ),
    pytest.param(
        "knee",
        '{item: knee.can_weight_bear, in: ["no"]}',
        '{item: knee.can_weight_bear, in: ["yes"]}',
        "must test ability question knee.can_weight_bear as == no",
        'in: ["yes"]',
        id="ability-question-tested-yes",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: {item: smsk.2, is: true}",
        "uses tool item smsk.2",
        "{item: smsk.2, is: true}",
        id="red-flag-on-a-tool-item",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: {item: general.notes, is: true}",
        "uses free-text item general.notes",
        "{item: general.notes, is: true}",
        id="red-flag-on-free-text",
    ),
    pytest.param(
        "knee",
        "    disposition: urgent_referral\n    destination: orthopaedics_urgent\n",
        "    disposition: routine_f2f\n    destination: null\n",
        "never recommends less than the yellow-flag tool",
        "disposition: routine_f2f",
        id="red-flag-less-severe-than-a-yellow-flag-outcome",
    ),
    pytest.param(
        "knee",
        "    disposition: urgent_referral\n    destination: orthopaedics_urgent\n",
        "    disposition: urgent_f2f\n    destination: orthopaedics_urgent\n",
        "its destination must be null",
        'destination: orthopaedics_urgent\n    action: "acute',
        id="physiotherapy-red-flag-with-destination",
    ),
    pytest.param(
        "knee",
        "    disposition: urgent_referral\n    destination: orthopaedics_urgent\n",
        "    disposition: urgent_referral\n    destination: null\n",
        "needs a destination",
        "destination: null",
        id="referral-without-destination",
    ),
    pytest.param(
        "knee",
        "        show_if: {item: knee.acute_injury_last_7_days, is: true}\n"
        "      - id: knee.can_bend_90",
        '        show_if: {item: general.age, op: ">", value: 110}\n      - id: knee.can_bend_90',
        "general.age > 110 can never be true",
        "value: 110}",
        id="show-if-atom-never-true",
    ),
    pytest.param(
        "knee",
        "        show_if: {item: knee.acute_injury_last_7_days, is: true}\n"
        "      - id: knee.can_bend_90",
        "        show_if:\n          all:\n"
        '            - {item: general.age, op: "<", value: 20}\n'
        '            - {item: general.age, op: ">", value: 30}\n'
        "      - id: knee.can_bend_90",
        "show_if of knee.can_weight_bear can never be true",
        "        show_if:\n          all:",
        id="show-if-contradiction",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition:\n      all:\n        - {item: general.trauma, in: [none]}\n"
        "        - {item: general.trauma, in: [major]}",
        "red flag rf.locked_knee can never trigger",
        "condition:\n      all:\n        - {item: general.trauma, in: [none]}",
        id="red-flag-that-can-never-trigger",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition:\n      all:\n        - {item: knee.acute_injury_last_7_days, is: true}\n"
        "        - {item: knee.persistent_swelling, is: true}\n"
        '        - {item: knee.can_weight_bear, in: ["no"]}',
        "",
        "",
        id="red-flag-across-gates-is-reachable",  # control: no problem expected
    ),
    pytest.param(
        "knee",
        "      - id: knee.persistent_swelling\n        type: bool\n",
        "      - id: knee.persistent_swelling\n        type: bool\n"
        "        show_if: {item: knee.small_joints_affected, is: true}\n",
        "cycle",
        "show_if: {item: knee.small_joints_affected, is: true}\n        question",
        id="show-if-cycle",
    ),
    pytest.param(
        "knee",
        "yellow_flag_tool: start_msk",
        "yellow_flag_tool: start_back",
        "knee uses start_msk (spec 2.2), not start_back",
        "yellow_flag_tool:",
        id="wrong-yellow-flag-tool",
    ),
    pytest.param(
        "knee",
        "{min: 5, max: 6, points: 1}",
        "{min: 6, max: 6, points: 1}",
        "by_range bands must cover 0 to 10 once each",
        "by_range:",
        id="scoring-band-gap",
    ),
    pytest.param(
        "knee",
        "    - {item: smsk.10, if_true: 1, if_false: 0}\n",
        "",
        "tool item smsk.10 has no scoring rule",
        "  items:\n    - item: smsk.1",
        id="tool-item-unscored",
    ),
    pytest.param(
        "knee",
        "- {risk: high, when: []}",
        "- {risk: high, when: [{score: total, min: 9}]}",
        "the last risk group must have no limits",
        "{risk: high, when: [{score",
        id="risk-groups-not-exhaustive",
    ),
    pytest.param(
        "lumbar",
        "very_much: 1, extremely: 1}",
        "very_much: 1}",
        "by_option must give points for exactly the options of sbt.9",
        "by_option:",
        id="scoring-option-missing",
    ),
    pytest.param(
        "cervical",
        "at_least: 2",
        "at_least: 5",
        "only 3 conditions follow",
        "at_least: 5",
        id="at-least-more-than-listed",
    ),
    pytest.param(
        "knee",
        "condition: {item: knee.locked, is: true}",
        "condition: &locked {item: knee.locked, is: true}",
        "anchors (&name) are not allowed",
        "&locked",
        id="anchor-refused",
    ),
    pytest.param(
        "knee",
        'title: "Locked knee"',
        "title: !!python/object/apply:os.system [echo]",
        "is not allowed",
        "!!python",
        id="python-tag-refused",
    ),
    pytest.param(
        "knee",
        "      - id: knee.locked\n",
        "      - id: hip.locked\n",
        "item hip.locked is not a knee item",
        "- id: hip.locked",
        id="item-of-another-region",
    ),
    pytest.param(
        "knee",
        "      - id: general.notes\n        type: text",
        "      - id: smsk.11\n        type: bool",
        "tool item smsk.11 belongs in the yellow_flags",
        "- id: smsk.11",
        id="tool-item-outside-its-section",
    ),
    pytest.param(
        "knee",
        "  - id: plan\n",
        "  - id: presenting_complaint\n",
        "sections must be presenting_complaint, red_flag_screen, yellow_flags, plan",
        "sections:",
        id="sections-out-of-order",
    ),
]


@pytest.mark.parametrize(("protocol_id", "old", "new", "message", "on_line"), BROKEN)
def test_problem_names_file_line_and_what_is_wrong(
    protocol_id: str, old: str, new: str, message: str, on_line: str
) -> None:
    text = mutate(shipped_text(protocol_id), old, new)
    name = f"protocols/{protocol_id}.yaml"
    if not message:  # a control case: the change is sound and must load
        assert load_protocol_bytes(text.encode(), name).id == protocol_id
        return
    found = problems_in(text, name)
    expected_line = line_of(text, on_line)
    matching = [p for p in found if message in p.message]
    assert matching, [str(p) for p in found]
    assert matching[0].line == expected_line, [str(p) for p in found]
    assert str(matching[0]) == f"{name}:{expected_line}: {matching[0].message}"
    assert "\n" not in str(matching[0])


def test_text_that_is_not_utf8_is_a_problem_at_its_line() -> None:
    text = shipped_text("knee").encode()
    broken = text.replace(b'title: "Locked knee"', b'title: "Locked \xff knee"', 1)
    (problem,) = problems_in(broken)
    assert problem.message == "the file is not UTF-8 text"
    assert problem.line == line_of(shipped_text("knee"), 'title: "Locked knee"')


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("- id: knee\n", "must be a mapping"), ("id: [\n", "YAML syntax")],
)
def test_files_that_are_not_protocols(text: str, message: str) -> None:
    assert any(message in p.message for p in problems_in(text))


def test_all_problems_of_a_file_are_reported_together() -> None:
    text = mutate(shipped_text("knee"), "destination: vascular_same_day", "destination: vascular")
    text = mutate(text, "disposition: urgent_referral", "disposition: urgent")
    found = problems_in(text)
    assert len(found) == 2
    assert found[0].line < found[1].line
    with pytest.raises(ProtocolCheckFailed) as caught:
        load_protocol_bytes(text.encode(), "knee.yaml")
    assert isinstance(caught.value, ProtocolFileError)
    assert "and 1 more problem" in str(caught.value)


def test_file_name_must_match_the_protocol_id(tmp_path: Path) -> None:
    wrong = tmp_path / "hip.yaml"
    wrong.write_text(shipped_text("knee"), encoding="utf-8")
    with pytest.raises(ProtocolCheckFailed, match=r"must be in a file named knee\.yaml"):
        load_protocol_file(wrong)


# --------------------------------------------------------------------------------------------
# Folders and sets of files


def copy_of_protocols(tmp_path: Path) -> Path:
    folder = tmp_path / "protocols"
    shutil.copytree(protocols_dir(), folder)
    return folder


def test_a_broken_file_loads_nothing_and_the_set_refuses(tmp_path: Path) -> None:
    folder = copy_of_protocols(tmp_path)
    knee = folder / "knee.yaml"
    knee.write_text(
        mutate(
            shipped_text("knee"), "{item: knee.locked, is: true}", "{item: knee.lockd, is: true}"
        ),
        encoding="utf-8",
    )
    report = check_paths([folder])
    assert sorted(p.id for p in report.protocols) == sorted(set(PROTOCOL_IDS) - {"knee"})
    assert [p.source for p in report.problems] == [str(knee)]
    with pytest.raises(ProtocolCheckFailed) as caught:
        load_all(folder)
    assert str(caught.value.problems[0]).startswith(f"{knee}:")


def test_a_missing_protocol_file_is_a_problem(tmp_path: Path) -> None:
    folder = copy_of_protocols(tmp_path)
    (folder / "elbow.yaml").unlink()
    with pytest.raises(ProtocolCheckFailed, match="no protocol file for 'elbow'"):
        load_all(folder)


def test_shared_red_flag_ids_keep_one_disposition_and_destination(tmp_path: Path) -> None:
    folder = copy_of_protocols(tmp_path)
    hip_text = shipped_text("hip")
    changed = mutate(
        hip_text, "destination: vascular_same_day", "destination: emergency_department"
    )
    (folder / "hip.yaml").write_text(changed, encoding="utf-8")
    report = check_paths([folder])
    (problem,) = report.problems
    assert problem.source == str(folder / "hip.yaml")
    assert "red flag rf.dvt is emergency/emergency_department here" in problem.message
    assert problem.line == line_of(changed, "  - id: rf.dvt")


def test_common_items_are_identical_in_every_protocol(tmp_path: Path) -> None:
    folder = copy_of_protocols(tmp_path)
    changed = mutate(shipped_text("hip"), "Can I confirm your age?", "How old are you?")
    (folder / "hip.yaml").write_text(changed, encoding="utf-8")
    (problem,) = check_paths([folder]).problems
    assert "common item general.age differs" in problem.message
    assert problem.line == line_of(changed, "      - id: general.age")


def test_the_same_protocol_id_twice_is_a_problem(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "knee.yaml").write_text(shipped_text("knee"), encoding="utf-8")
    report = check_paths([protocols_dir() / "knee.yaml", other / "knee.yaml"])
    assert len(report.problems) == 1
    assert "also defined in" in report.problems[0].message


def test_loaded_protocols_compare_by_content() -> None:
    first: TriageProtocol = load_protocol("hip")
    assert load_protocol("hip") == first
    assert load_protocol("knee") != first
