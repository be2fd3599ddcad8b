"""``physioline triage evaluate`` and ``protocols check`` run as real subprocesses.

Every worked example of clinical-spec.md section 11 goes through the command line and is
compared field by field; invalid input gives exit 2, nothing on stdout and exactly one line
on stderr naming the problem, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PROTOCOLS = REPO / "protocols"


def physioline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "physioline", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        check=False,
    )


def evaluate(
    tmp_path: Path, protocol_id: str, answers: str | bytes
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "answers.json"
    if isinstance(answers, str):
        path.write_text(answers, encoding="utf-8")
    else:
        path.write_bytes(answers)
    return physioline(
        "triage", "evaluate", "--protocol", protocol_id, "--answers", str(path), "--format", "json"
    )


GENERAL_NEGATIVE: dict[str, Any] = {
    "general.trauma": "none",
    "general.history_of_cancer": False,
    "general.unexplained_weight_loss": False,
    "general.non_mechanical_pain": False,
    "general.fever_or_unwell": False,
    "general.infection_risk": False,
    "general.osteoporosis_or_steroids": False,
}
SMSK_LOW_3: dict[str, Any] = {"smsk.1": 3, **{f"smsk.{i}": False for i in range(2, 11)}}

EXAMPLE_1 = """{"general.age": 52, "general.trauma": "none", "general.history_of_cancer": false,
 "general.unexplained_weight_loss": false, "general.non_mechanical_pain": false,
 "general.fever_or_unwell": false, "general.infection_risk": false,
 "general.osteoporosis_or_steroids": false,
 "lumbar.bilateral_leg_symptoms": false, "lumbar.saddle_anaesthesia": false,
 "lumbar.bladder_dysfunction": true, "lumbar.bowel_dysfunction": false,
 "lumbar.sexual_dysfunction": false, "lumbar.progressive_leg_weakness": false,
 "lumbar.one_leg_numbness_or_weakness": true, "lumbar.onset_before_45": false,
 "lumbar.duration_over_3_months": false,
 "sbt.1": true, "sbt.2": false, "sbt.3": true, "sbt.4": true, "sbt.5": false,
 "sbt.6": true, "sbt.7": false, "sbt.8": false, "sbt.9": "moderately"}"""

LUMBAR_ITEMS = [
    "bilateral_leg_symptoms",
    "saddle_anaesthesia",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction",
    "progressive_leg_weakness",
    "one_leg_numbness_or_weakness",
    "onset_before_45",
    "duration_over_3_months",
    "onset_before_35",
    "night_waking_second_half",
    "buttock_pain",
    "improves_with_movement",
    "nsaid_response",
    "family_history_spa",
    "arthritis_history",
    "enthesitis_history",
    "psoriasis_history",
]

EXAMPLE_2 = {
    **json.loads(EXAMPLE_1),
    "general.age": 34,
    **{f"lumbar.{name}": False for name in LUMBAR_ITEMS},
    "sbt.1": True,
    "sbt.2": False,
    "sbt.3": True,
    "sbt.4": False,
    "sbt.5": True,
    "sbt.6": True,
    "sbt.7": True,
    "sbt.8": False,
    "sbt.9": "very_much",
}

EXAMPLE_3 = """{"general.age": 58, "general.trauma": "minor", "general.history_of_cancer": false,
 "general.unexplained_weight_loss": false, "general.non_mechanical_pain": false,
 "general.fever_or_unwell": false, "general.infection_risk": false,
 "general.osteoporosis_or_steroids": false,
 "knee.hot_swollen_joint": false, "knee.locked": false, "knee.acute_injury_last_7_days": true,
 "knee.can_weight_bear": "yes", "knee.can_bend_90": "yes", "knee.bony_tenderness": false,
 "knee.calf_swollen_or_tender": false, "knee.persistent_swelling": false,
 "smsk.1": 6, "smsk.2": false, "smsk.3": false, "smsk.4": true, "smsk.5": true, "smsk.6": false,
 "smsk.7": true, "smsk.8": false, "smsk.9": false, "smsk.10": true}"""

CERVICAL_BOOLS = [
    "sudden_severe_headache",
    "dizziness",
    "visual_disturbance",
    "speech_or_swallow_difficulty",
    "facial_numbness",
    "ataxia",
    "hand_clumsiness",
    "gait_disturbance",
    "bilateral_hand_numbness",
    "lhermitte",
    "bladder_bowel_change",
    "rapid_neuro_deterioration",
    "one_arm_numbness_or_weakness",
]  # every cervical bool except cervical.drop_attacks, which example 4 does not give

EXAMPLE_4 = {
    "general.age": 61,
    **GENERAL_NEGATIVE,
    **{f"cervical.{name}": False for name in CERVICAL_BOOLS},
    "cervical.hand_clumsiness": True,
    "cervical.bilateral_hand_numbness": True,
    **SMSK_LOW_3,
}

EXAMPLE_5 = {
    "general.age": 47,
    **GENERAL_NEGATIVE,
    "shoulder.dislocation": "none",
    "shoulder.hot_swollen_joint": False,
    "smsk.1": 2,
    "smsk.2": False,
    "smsk.3": False,
    **{f"smsk.{i}": False for i in range(5, 11)},
}

EXAMPLE_8 = {
    "general.age": 74,
    **GENERAL_NEGATIVE,
    "general.osteoporosis_or_steroids": True,
    "hip.can_weight_bear": "no",
    "hip.acute_severe_pain_any_movement": False,
    "hip.calf_swollen_or_tender": False,
    **SMSK_LOW_3,
}

# (example, protocol, answers file text, expected fields of spec section 11)
WORKED_EXAMPLES = [
    pytest.param(
        "lumbar",
        EXAMPLE_1,
        {
            "red_flags": ["rf.cauda_equina", "rf.nerve_root_deficit"],
            "scores": {"start_back": {"total": 4, "psychosocial": 1, "risk": "medium"}},
            "disposition": "emergency",
            "destination": "emergency_department",
            "pathway": None,
            "complete": True,
            "unanswered": [],
        },
        id="example-1-lumbar-cauda-equina",
    ),
    pytest.param(
        "lumbar",
        json.dumps(EXAMPLE_2),
        {
            "red_flags": [],
            "scores": {"start_back": {"total": 6, "psychosocial": 4, "risk": "high"}},
            "disposition": "routine_f2f",
            "destination": None,
            "pathway": "psychologically_informed",
            "complete": True,
            "unanswered": [],
        },
        id="example-2-lumbar-high-psychosocial-risk",
    ),
    pytest.param(
        "knee",
        EXAMPLE_3,
        {
            "red_flags": ["rf.knee_fracture"],
            "scores": {"start_msk": {"total": 5, "risk": "medium"}},
            "disposition": "emergency",
            "destination": "urgent_treatment_centre",
            "pathway": None,
            "complete": True,
            "unanswered": [],
        },
        id="example-3-knee-ottawa-by-age",
    ),
    pytest.param(
        "cervical",
        json.dumps(EXAMPLE_4),
        {
            "red_flags": ["rf.cervical_myelopathy"],
            "scores": {"start_msk": {"total": 0, "risk": "low"}},
            "disposition": "urgent_referral",
            "destination": "spinal_surgery_urgent",
            "pathway": None,
            "complete": False,
            "unanswered": ["cervical.drop_attacks"],
        },
        id="example-4-cervical-myelopathy-unanswered",
    ),
    pytest.param(
        "shoulder",
        json.dumps(EXAMPLE_5),
        {
            "red_flags": [],
            "scores": {"start_msk": {"complete": False}},
            "disposition": "routine_f2f",
            "destination": None,
            "pathway": None,
            "complete": True,
            "unanswered": [],
        },
        id="example-5-shoulder-incomplete-start-msk",
    ),
    pytest.param(
        "hip",
        json.dumps(EXAMPLE_8),
        {
            "red_flags": ["rf.serious_hip_pathology"],
            "scores": {"start_msk": {"total": 0, "risk": "low"}},
            "disposition": "emergency",
            "destination": "emergency_department",
            "pathway": None,
            "complete": True,
            "unanswered": [],
        },
        id="example-8-hip-cannot-weight-bear-without-injury",
    ),
]

#: Mandated actions as spec section 6 words them, for the rationale check.
MANDATED_ACTIONS = {
    ("lumbar", "rf.cauda_equina"): "Go to A&E now for an emergency MRI; do not wait.",
    ("lumbar", "rf.nerve_root_deficit"): "face-to-face neurological examination within 5 "
    "working days; safety-net advice for cauda equina symptoms",
    ("knee", "rf.knee_fracture"): "X-ray today",
    ("cervical", "rf.cervical_myelopathy"): "urgent spinal surgical referral (seen within 2 weeks)",
    ("hip", "rf.serious_hip_pathology"): "Go to A&E today for X-ray and blood tests: a hidden or "
    "insufficiency fracture, joint infection or avascular necrosis must be ruled out. Call 999 "
    "if you cannot be moved safely.",
}


@pytest.mark.parametrize(("protocol_id", "answers", "expected"), WORKED_EXAMPLES)
def test_worked_example_through_the_cli(
    tmp_path: Path, protocol_id: str, answers: str, expected: dict[str, Any]
) -> None:
    done = evaluate(tmp_path, protocol_id, answers)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.endswith("\n")
    assert done.stdout.count("\n") == 1  # exactly one JSON object, nothing else
    output = json.loads(done.stdout)
    assert list(output) == [
        "protocol",
        "red_flags",
        "scores",
        "disposition",
        "destination",
        "pathway",
        "complete",
        "unanswered",
        "rationale",
    ]
    protocol_bytes = (PROTOCOLS / f"{protocol_id}.yaml").read_bytes()
    assert output["protocol"] == {
        "id": protocol_id,
        "version": "1.1.1",
        "sha256": hashlib.sha256(protocol_bytes).hexdigest(),
    }
    for field, value in expected.items():
        assert output[field] == value, field
    rationale = output["rationale"]
    assert rationale
    assert all(isinstance(line, str) and line for line in rationale)
    for rule_id in expected["red_flags"]:
        action = MANDATED_ACTIONS[(protocol_id, rule_id)]
        assert any(rule_id in line and line.endswith(action) for line in rationale), rule_id
    tool = next(iter(expected["scores"]))
    tool_name = {"start_back": "STarT Back", "start_msk": "STarT MSK"}[tool]
    assert any(line.startswith(tool_name) for line in rationale)


def test_example_1_rationale_lines_read_as_the_spec_shows(tmp_path: Path) -> None:
    output = json.loads(evaluate(tmp_path, "lumbar", EXAMPLE_1).stdout)
    assert output["rationale"][0] == (
        "Red flag rf.cauda_equina (emergency, emergency_department): Go to A&E now for an "
        "emergency MRI; do not wait."
    )
    example_2 = json.loads(evaluate(tmp_path, "lumbar", json.dumps(EXAMPLE_2)).stdout)
    assert "STarT Back total 6, psychosocial 4: high risk." in example_2["rationale"]


INVALID = [
    pytest.param("knee", '{"general.age": 130}', "general.age", id="example-6-age-out-of-range"),
    pytest.param(
        "knee",
        '{"general.age": 40, "knee.locked": true, "knee.locked": null}',
        "knee.locked",
        id="example-7-duplicate-key",
    ),
    pytest.param(
        "knee",
        '{"knee.locked": true, "knee\\u002elocked": false}',
        '"knee.locked"',
        id="duplicate-key-named-as-decoded",
    ),
    pytest.param("neck", "{}", "neck", id="unknown-protocol-id"),
    pytest.param("knee", '{"sbt.1": null}', "sbt.1", id="unknown-item-even-with-null"),
    pytest.param(
        "knee",
        '{"knee.unable_to_weight_bear": true}',
        "knee.unable_to_weight_bear",
        id="version-1.0-item-id",
    ),
    pytest.param("knee", '{"general.age": true}', "general.age", id="true-for-an-int"),
    pytest.param("knee", '{"general.age": 45.0}', "general.age", id="45.0-for-an-int"),
    pytest.param("knee", '{"general.age": 1e2}', "general.age", id="exponent-for-an-int"),
    pytest.param("knee", '{"general.age": "45"}', "general.age", id="string-for-an-int"),
    pytest.param("knee", '{"knee.locked": "yes"}', "knee.locked", id="yes-for-a-bool"),
    pytest.param(
        "knee",
        '{"knee.can_weight_bear": true}',
        "knee.can_weight_bear",
        id="true-for-an-ability-question",
    ),
    pytest.param("knee", '{"general.trauma": "severe"}', "general.trauma", id="unknown-option"),
    pytest.param("knee", '{"general.notes": 3}', "general.notes", id="number-for-text"),
    pytest.param("knee", "[]", "JSON object", id="top-level-array"),
    pytest.param("knee", '{"general.age": 40', "not valid JSON", id="not-json"),
    pytest.param("knee", b'\xef\xbb\xbf{"general.age": 40}', "byte order mark", id="bom"),
    pytest.param("knee", b'{"general.notes": "caf\xe9"}', "not UTF-8", id="not-utf8"),
    pytest.param("knee", '{"knee.locked\\n": true}', "knee.locked\\n", id="newline-in-key"),
]


@pytest.mark.parametrize(("protocol_id", "answers", "named"), INVALID)
def test_invalid_input_exit_2_one_line_on_stderr_nothing_on_stdout(
    tmp_path: Path, protocol_id: str, answers: str | bytes, named: str
) -> None:
    done = evaluate(tmp_path, protocol_id, answers)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.endswith("\n")
    assert done.stderr.count("\n") == 1, done.stderr
    assert named in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_answers_file_is_invalid_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    done = physioline("triage", "evaluate", "--protocol", "knee", "--answers", str(missing))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "cannot read the answers file" in done.stderr
    folder = physioline("triage", "evaluate", "--protocol", "knee", "--answers", str(tmp_path))
    assert folder.returncode == 2
    assert folder.stderr.count("\n") == 1


def test_incomplete_and_red_flag_results_still_exit_0(tmp_path: Path) -> None:
    done = evaluate(tmp_path, "knee", '{"knee.locked": true}')
    assert done.returncode == 0
    output = json.loads(done.stdout)
    assert output["red_flags"] == ["rf.locked_knee"]
    assert output["complete"] is False
    assert output["unanswered"] == sorted(output["unanswered"])
    assert "knee.persistent_swelling" in output["unanswered"]
    assert "knee.can_weight_bear" not in output["unanswered"]  # hidden: no injury answered
    assert output["scores"] == {"start_msk": {"complete": False}}


# --------------------------------------------------------------------------------------------
# protocols check


def test_protocols_check_passes_on_the_shipped_files() -> None:
    done = physioline("protocols", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("protocols check: OK, 9 protocol files")
    for protocol_id in ("lumbar", "knee", "foot_ankle"):
        assert f"{protocol_id} 1.1.1" in lines[0]


def test_protocols_check_on_given_files() -> None:
    done = physioline(
        "protocols", "check", str(PROTOCOLS / "knee.yaml"), str(PROTOCOLS / "hip.yaml")
    )
    assert done.returncode == 0, done.stdout
    assert "OK, 2 protocol files" in done.stdout


def test_protocols_check_fails_on_a_broken_copy_naming_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    knee = folder / "knee.yaml"
    text = knee.read_text(encoding="utf-8")
    broken = text.replace(
        "condition: {item: knee.locked, is: true}", "condition: {item: knee.lockd, is: true}"
    )
    broken = broken.replace(
        "{item: general.trauma, in: [major]}", "{item: general.trauma, in: [severe]}"
    )
    assert broken != text
    knee.write_text(broken, encoding="utf-8")
    done = physioline("protocols", "check", str(folder))
    assert done.returncode != 0
    problems = done.stdout.splitlines()
    assert len(problems) == 2, done.stdout
    unknown_line = broken[: broken.index("knee.lockd")].count("\n") + 1
    option_line = broken[: broken.index("[severe]")].count("\n") + 1
    assert problems == [
        f"{knee}:{option_line}: rf.major_trauma names unknown option 'severe' of general.trauma "
        "(options: none, minor, major)",
        f"{knee}:{unknown_line}: rf.locked_knee names unknown item knee.lockd",
    ]
    assert "2 problems" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_protocols_check_reports_a_schema_problem_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    knee = folder / "knee.yaml"
    broken = knee.read_text(encoding="utf-8").replace(
        "destination: urgent_treatment_centre", "destination: fracture_clinic"
    )
    knee.write_text(broken, encoding="utf-8")
    done = physioline("protocols", "check", str(folder))
    assert done.returncode != 0
    line = broken[: broken.index("fracture_clinic")].count("\n") + 1
    (problem,) = done.stdout.splitlines()
    assert problem.startswith(f'{knee}:{line}: red_flags[3].destination: "fracture_clinic"')
    assert "use one of: emergency_department, vascular_same_day" in problem


def test_protocols_check_fails_on_a_missing_path(tmp_path: Path) -> None:
    done = physioline("protocols", "check", str(tmp_path / "nowhere.yaml"))
    assert done.returncode != 0
    assert "no such file or folder" in done.stdout


def test_a_defect_exits_1_with_one_line_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    import physioline.core.triage as engine
    import physioline.logs
    from physioline.commands import triage as command

    def broken_engine(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated defect with patient details")

    monkeypatch.setattr(engine, "evaluate", broken_engine)
    monkeypatch.setattr(physioline.logs, "configure_logging", lambda *_a, **_k: tmp_path / "log")
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    status = command.evaluate_command(
        argparse.Namespace(protocol="knee", answers=str(answers), format="json")
    )
    printed = capsys.readouterr()
    assert status == 1
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert "something went wrong (ref " in printed.err
    assert "Traceback" not in printed.err
    assert "simulated" not in printed.err
