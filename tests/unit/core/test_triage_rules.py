"""Every red-flag rule of clinical-spec.md v1.1 (section 6), triggering and just not triggering.

Table-driven: ``SPEC_RED_FLAGS`` is transcribed from the spec's tables (not from the protocol
files), and ``CASES`` gives, per rule, answers that trigger it and answers that only just do
not (age boundaries, a missing second criterion, a hidden gated item). Each case changes an
all-negative baseline in which nothing triggers.
"""

from __future__ import annotations

import functools
import itertools

import pytest

from physioline.core.conditions import notation
from physioline.core.protocol import TriageProtocol, load_all, load_protocol_bytes
from physioline.core.triage import TriageResult, evaluate_answers
from physioline.core.vocabulary import (
    DESTINATIONS_BY_PRECEDENCE,
    DISPOSITIONS_MOST_SEVERE_FIRST,
    PROTOCOL_IDS,
    YELLOW_FLAG_DECISION,
    Destination,
    Disposition,
    Pathway,
    RiskGroup,
    red_flag_dispositions,
)

Answers = dict[str, object]

# (protocol, red flag) -> (condition in spec notation, disposition, destination, mandated action)
# Transcribed from clinical-spec.md sections 6.0 to 6.9.
SPEC_RED_FLAGS: dict[tuple[str, str], tuple[str, str, str | None, str]] = {
    # lumbar
    ("lumbar", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("lumbar", "rf.spinal_malignancy"): (
        (
            "ANY(general.history_of_cancer, AT_LEAST(2; general.age >= 50, "
            "general.unexplained_weight_loss, general.non_mechanical_pain))"
        ),
        "urgent_referral",
        "suspected_cancer_pathway",
        (
            "within 24 h: GP / MSCC coordinator today for urgent imaging (MRI within 1 week) "
            "or 2-week-wait referral"
        ),
    ),
    ("lumbar", "rf.spinal_infection"): (
        "ALL(general.fever_or_unwell, ANY(general.infection_risk, general.non_mechanical_pain))",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("lumbar", "rf.vertebral_fracture"): (
        "ALL(general.trauma == minor, ANY(general.age >= 65, general.osteoporosis_or_steroids))",
        "urgent_referral",
        "gp_urgent",
        "GP same or next working day: X-ray and bone-health review",
    ),
    ("lumbar", "rf.cauda_equina"): (
        (
            "ANY(lumbar.bilateral_leg_symptoms, lumbar.saddle_anaesthesia, "
            "lumbar.bladder_dysfunction, lumbar.bowel_dysfunction, lumbar.sexual_dysfunction)"
        ),
        "emergency",
        "emergency_department",
        "Go to A&E now for an emergency MRI; do not wait.",
    ),
    ("lumbar", "rf.metastatic_cord_compression"): (
        (
            "ALL(general.history_of_cancer, ANY(lumbar.progressive_leg_weakness, "
            "lumbar.bilateral_leg_symptoms, lumbar.saddle_anaesthesia, "
            "lumbar.bladder_dysfunction, lumbar.bowel_dysfunction))"
        ),
        "emergency",
        "emergency_department",
        "now: A&E and the acute oncology / MSCC coordinator",
    ),
    ("lumbar", "rf.progressive_neurological_deficit"): (
        "lumbar.progressive_leg_weakness",
        "urgent_referral",
        "spinal_surgery_urgent",
        "spinal on-call / urgent spinal clinic within 24 h",
    ),
    ("lumbar", "rf.nerve_root_deficit"): (
        "lumbar.one_leg_numbness_or_weakness",
        "urgent_f2f",
        None,
        (
            "face-to-face neurological examination within 5 working days; safety-net advice "
            "for cauda equina symptoms"
        ),
    ),
    ("lumbar", "rf.axial_spondyloarthritis"): (
        (
            "ALL(lumbar.onset_before_45, lumbar.duration_over_3_months, AT_LEAST(4; "
            "lumbar.onset_before_35, lumbar.night_waking_second_half, lumbar.buttock_pain, "
            "lumbar.improves_with_movement, lumbar.nsaid_response, "
            "lumbar.family_history_spa, lumbar.arthritis_history, lumbar.enthesitis_history, "
            "lumbar.psoriasis_history))"
        ),
        "onward_referral",
        "rheumatology",
        "routine rheumatology referral for spondyloarthritis assessment",
    ),
    # thoracic
    ("thoracic", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("thoracic", "rf.spinal_malignancy"): (
        (
            "ANY(general.history_of_cancer, AT_LEAST(2; general.age >= 50, "
            "general.unexplained_weight_loss, general.non_mechanical_pain))"
        ),
        "urgent_referral",
        "suspected_cancer_pathway",
        (
            "within 24 h: GP / MSCC coordinator today for urgent imaging (MRI within 1 week) "
            "or 2-week-wait referral"
        ),
    ),
    ("thoracic", "rf.spinal_infection"): (
        "ALL(general.fever_or_unwell, ANY(general.infection_risk, general.non_mechanical_pain))",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("thoracic", "rf.vertebral_fracture"): (
        "ALL(general.trauma == minor, ANY(general.age >= 65, general.osteoporosis_or_steroids))",
        "urgent_referral",
        "gp_urgent",
        "GP same or next working day: X-ray and bone-health review",
    ),
    ("thoracic", "rf.spinal_cord_compression"): (
        "ANY(thoracic.leg_neuro_symptoms, thoracic.bladder_bowel_change)",
        "emergency",
        "emergency_department",
        "Go to A&E now.",
    ),
    ("thoracic", "rf.metastatic_cord_compression"): (
        (
            "ALL(general.history_of_cancer, ANY(thoracic.leg_neuro_symptoms, "
            "thoracic.bladder_bowel_change))"
        ),
        "emergency",
        "emergency_department",
        "now: A&E and the MSCC coordinator",
    ),
    ("thoracic", "rf.cardiorespiratory"): (
        "thoracic.chest_pain_or_breathlessness",
        "emergency",
        "emergency_department",
        "Call 999 / go to A&E now.",
    ),
    # cervical
    ("cervical", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("cervical", "rf.spinal_malignancy"): (
        (
            "ANY(general.history_of_cancer, AT_LEAST(2; general.age >= 50, "
            "general.unexplained_weight_loss, general.non_mechanical_pain))"
        ),
        "urgent_referral",
        "suspected_cancer_pathway",
        (
            "within 24 h: GP / MSCC coordinator today for urgent imaging (MRI within 1 week) "
            "or 2-week-wait referral"
        ),
    ),
    ("cervical", "rf.spinal_infection"): (
        "ALL(general.fever_or_unwell, ANY(general.infection_risk, general.non_mechanical_pain))",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("cervical", "rf.cervical_arterial_dysfunction"): (
        (
            "ANY(cervical.sudden_severe_headache, cervical.visual_disturbance, "
            "cervical.speech_or_swallow_difficulty, cervical.drop_attacks, "
            "cervical.facial_numbness, cervical.ataxia)"
        ),
        "emergency",
        "emergency_department",
        (
            "Call 999 now: possible stroke, TIA or cervical artery dissection (stroke "
            "pathway). Do not drive yourself to hospital."
        ),
    ),
    ("cervical", "rf.spinal_cord_compression"): (
        "ANY(cervical.bladder_bowel_change, cervical.rapid_neuro_deterioration)",
        "emergency",
        "emergency_department",
        "Go to A&E now.",
    ),
    ("cervical", "rf.metastatic_cord_compression"): (
        (
            "ALL(general.history_of_cancer, ANY(cervical.hand_clumsiness, "
            "cervical.gait_disturbance, cervical.bilateral_hand_numbness, "
            "cervical.rapid_neuro_deterioration, cervical.bladder_bowel_change))"
        ),
        "emergency",
        "emergency_department",
        "now: A&E and the MSCC coordinator",
    ),
    ("cervical", "rf.cervical_fracture"): (
        "ALL(general.trauma == minor, ANY(general.age >= 65, general.osteoporosis_or_steroids))",
        "emergency",
        "emergency_department",
        "Go to A&E today for neck imaging; keep movement of the neck to a minimum.",
    ),
    ("cervical", "rf.cervical_myelopathy"): (
        (
            "AT_LEAST(2; cervical.hand_clumsiness, cervical.gait_disturbance, "
            "cervical.bilateral_hand_numbness, cervical.lhermitte)"
        ),
        "urgent_referral",
        "spinal_surgery_urgent",
        "urgent spinal surgical referral (seen within 2 weeks)",
    ),
    ("cervical", "rf.nerve_root_deficit"): (
        "cervical.one_arm_numbness_or_weakness",
        "urgent_f2f",
        None,
        "face-to-face neurological examination within 5 working days",
    ),
    # shoulder
    ("shoulder", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("shoulder", "rf.unreduced_dislocation"): (
        "shoulder.dislocation == still_out",
        "emergency",
        "emergency_department",
        "Go to A&E now.",
    ),
    ("shoulder", "rf.septic_arthritis"): (
        "shoulder.hot_swollen_joint",
        "emergency",
        "emergency_department",
        "Go to A&E today; a hot swollen joint is treated as infection until proven otherwise.",
    ),
    ("shoulder", "rf.acute_rotator_cuff_tear"): (
        (
            "ANY(ALL(general.trauma IN {minor, major}, shoulder.can_lift_arm_after_injury == "
            "no), ALL(shoulder.dislocation == reduced, general.age >= 40))"
        ),
        "urgent_referral",
        "orthopaedics_urgent",
        "urgent shoulder clinic for ultrasound/MRI, seen within 2 weeks",
    ),
    # elbow
    ("elbow", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("elbow", "rf.septic_arthritis"): (
        "elbow.hot_swollen_joint",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("elbow", "rf.elbow_fracture"): (
        "ALL(elbow.acute_injury_last_7_days, elbow.can_fully_straighten == no)",
        "emergency",
        "urgent_treatment_centre",
        "X-ray today at an urgent treatment centre",
    ),
    ("elbow", "rf.distal_biceps_rupture"): (
        "elbow.biceps_pop_weakness",
        "urgent_referral",
        "orthopaedics_urgent",
        "urgent upper-limb clinic within 2 weeks (repair is time-critical)",
    ),
    ("elbow", "rf.inflammatory_arthritis"): (
        (
            "ALL(elbow.persistent_swelling, ANY(elbow.small_joints_affected, "
            "elbow.multiple_joints_swollen, elbow.symptoms_over_3_months))"
        ),
        "urgent_referral",
        "rheumatology",
        "urgent early-arthritis clinic",
    ),
    ("elbow", "rf.persistent_synovitis"): (
        "elbow.persistent_swelling",
        "onward_referral",
        "rheumatology",
        (
            "Routine rheumatology referral: joint swelling of undetermined cause needs a "
            "specialist opinion."
        ),
    ),
    # wrist_hand
    ("wrist_hand", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("wrist_hand", "rf.septic_arthritis"): (
        "wrist_hand.hot_swollen_joint",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("wrist_hand", "rf.scaphoid_fracture"): (
        "ALL(wrist_hand.fall_on_outstretched_hand, wrist_hand.snuffbox_pain)",
        "emergency",
        "urgent_treatment_centre",
        "X-ray and splint today",
    ),
    ("wrist_hand", "rf.inflammatory_arthritis"): (
        (
            "ALL(wrist_hand.persistent_swelling, ANY(wrist_hand.small_joints_affected, "
            "wrist_hand.multiple_joints_swollen, wrist_hand.symptoms_over_3_months))"
        ),
        "urgent_referral",
        "rheumatology",
        "urgent early-arthritis clinic (within 3 weeks)",
    ),
    ("wrist_hand", "rf.persistent_synovitis"): (
        "wrist_hand.persistent_swelling",
        "onward_referral",
        "rheumatology",
        (
            "Routine rheumatology referral: joint swelling of undetermined cause needs a "
            "specialist opinion."
        ),
    ),
    ("wrist_hand", "rf.severe_carpal_tunnel"): (
        "ANY(wrist_hand.constant_numbness, wrist_hand.thenar_wasting)",
        "onward_referral",
        "orthopaedics",
        "routine hand-surgery referral for nerve studies / decompression",
    ),
    # hip
    ("hip", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("hip", "rf.hip_fracture"): (
        "ALL(general.trauma IN {minor, major}, hip.can_weight_bear == no)",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot be moved safely.",
    ),
    ("hip", "rf.serious_hip_pathology"): (
        "ANY(hip.can_weight_bear == no, hip.acute_severe_pain_any_movement)",
        "emergency",
        "emergency_department",
        (
            "Go to A&E today for X-ray and blood tests: a hidden or insufficiency fracture, "
            "joint infection or avascular necrosis must be ruled out. Call 999 if you cannot "
            "be moved safely."
        ),
    ),
    ("hip", "rf.septic_arthritis"): (
        (
            "ALL(hip.acute_severe_pain_any_movement, ANY(general.fever_or_unwell, "
            "general.infection_risk))"
        ),
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("hip", "rf.dvt"): (
        "hip.calf_swollen_or_tender",
        "emergency",
        "vascular_same_day",
        "same-day DVT service: Wells score, scan within 4 h or D-dimer",
    ),
    # knee
    ("knee", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("knee", "rf.septic_arthritis"): (
        "knee.hot_swollen_joint",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("knee", "rf.dvt"): (
        "knee.calf_swollen_or_tender",
        "emergency",
        "vascular_same_day",
        "same-day DVT service: Wells score, scan within 4 h or D-dimer",
    ),
    ("knee", "rf.knee_fracture"): (
        (
            "ALL(knee.acute_injury_last_7_days, ANY(general.age >= 55, knee.can_weight_bear "
            "== no, knee.can_bend_90 == no, knee.bony_tenderness))"
        ),
        "emergency",
        "urgent_treatment_centre",
        "X-ray today",
    ),
    ("knee", "rf.locked_knee"): (
        "knee.locked",
        "urgent_referral",
        "orthopaedics_urgent",
        "acute knee clinic within 2 weeks (meniscal repair window)",
    ),
    ("knee", "rf.inflammatory_arthritis"): (
        (
            "ALL(knee.persistent_swelling, ANY(knee.small_joints_affected, "
            "knee.multiple_joints_swollen, knee.symptoms_over_3_months))"
        ),
        "urgent_referral",
        "rheumatology",
        "urgent early-arthritis clinic",
    ),
    ("knee", "rf.persistent_synovitis"): (
        "knee.persistent_swelling",
        "onward_referral",
        "rheumatology",
        (
            "Routine rheumatology referral: joint swelling of undetermined cause needs a "
            "specialist opinion."
        ),
    ),
    # foot_ankle
    ("foot_ankle", "rf.major_trauma"): (
        "general.trauma == major",
        "emergency",
        "emergency_department",
        "Go to A&E now; call 999 if you cannot travel safely.",
    ),
    ("foot_ankle", "rf.septic_arthritis"): (
        "foot_ankle.hot_swollen_joint",
        "emergency",
        "emergency_department",
        "Go to A&E today.",
    ),
    ("foot_ankle", "rf.achilles_rupture"): (
        "ANY(foot_ankle.achilles_snap, foot_ankle.achilles_gap)",
        "emergency",
        "emergency_department",
        "Go to A&E today (Simmonds' calf-squeeze test, boot, fracture-clinic follow-up).",
    ),
    ("foot_ankle", "rf.dvt"): (
        "foot_ankle.calf_swollen_or_tender",
        "emergency",
        "vascular_same_day",
        "same-day DVT service",
    ),
    ("foot_ankle", "rf.ankle_fracture"): (
        (
            "ALL(foot_ankle.acute_injury_last_7_days, ANY(foot_ankle.can_weight_bear == no, "
            "foot_ankle.malleolar_bone_tenderness, foot_ankle.midfoot_bone_tenderness))"
        ),
        "emergency",
        "urgent_treatment_centre",
        "X-ray today",
    ),
    ("foot_ankle", "rf.inflammatory_arthritis"): (
        (
            "ALL(foot_ankle.persistent_swelling, ANY(foot_ankle.small_joints_affected, "
            "foot_ankle.multiple_joints_swollen, foot_ankle.symptoms_over_3_months))"
        ),
        "urgent_referral",
        "rheumatology",
        "urgent early-arthritis clinic",
    ),
    ("foot_ankle", "rf.persistent_synovitis"): (
        "foot_ankle.persistent_swelling",
        "onward_referral",
        "rheumatology",
        (
            "Routine rheumatology referral: joint swelling of undetermined cause needs a "
            "specialist opinion."
        ),
    ),
}

SPEC_INDEX = {  # spec 6.10
    "lumbar": "rf.axial_spondyloarthritis rf.cauda_equina rf.major_trauma "
    "rf.metastatic_cord_compression rf.nerve_root_deficit rf.progressive_neurological_deficit "
    "rf.spinal_infection rf.spinal_malignancy rf.vertebral_fracture",
    "thoracic": "rf.cardiorespiratory rf.major_trauma rf.metastatic_cord_compression "
    "rf.spinal_cord_compression rf.spinal_infection rf.spinal_malignancy rf.vertebral_fracture",
    "cervical": "rf.cervical_arterial_dysfunction rf.cervical_fracture rf.cervical_myelopathy "
    "rf.major_trauma rf.metastatic_cord_compression rf.nerve_root_deficit "
    "rf.spinal_cord_compression rf.spinal_infection rf.spinal_malignancy",
    "shoulder": "rf.acute_rotator_cuff_tear rf.major_trauma rf.septic_arthritis "
    "rf.unreduced_dislocation",
    "elbow": "rf.distal_biceps_rupture rf.elbow_fracture rf.inflammatory_arthritis "
    "rf.major_trauma rf.persistent_synovitis rf.septic_arthritis",
    "wrist_hand": "rf.inflammatory_arthritis rf.major_trauma rf.persistent_synovitis "
    "rf.scaphoid_fracture rf.septic_arthritis rf.severe_carpal_tunnel",
    "hip": "rf.dvt rf.hip_fracture rf.major_trauma rf.septic_arthritis rf.serious_hip_pathology",
    "knee": "rf.dvt rf.inflammatory_arthritis rf.knee_fracture rf.locked_knee rf.major_trauma "
    "rf.persistent_synovitis rf.septic_arthritis",
    "foot_ankle": "rf.achilles_rupture rf.ankle_fracture rf.dvt rf.inflammatory_arthritis "
    "rf.major_trauma rf.persistent_synovitis rf.septic_arthritis",
}

BASELINE_AGE = 30


@functools.cache
def shipped() -> dict[str, TriageProtocol]:
    return load_all()


def negative_answer(protocol: TriageProtocol, item_id: str) -> object:
    """The answer meaning "no problem" for an item: false, "yes" I can, none, age 30, pain 0."""
    item = protocol.item(item_id)
    if item.type == "bool":
        return False
    if item.type == "int":
        return BASELINE_AGE if item_id == "general.age" else item.minimum
    if item.is_ability_question:
        return "yes"
    return item.option_ids[0]  # none / not_at_all: the first option is the negative one


def baseline(protocol: TriageProtocol) -> Answers:
    """Every non-text item answered negatively, gated items included (hidden ones ignored)."""
    return {i.id: negative_answer(protocol, i.id) for i in protocol.items if not i.is_text}


def evaluate_with(protocol_id: str, changes: Answers) -> TriageResult:
    protocol = shipped()[protocol_id]
    return evaluate_answers(protocol, {**baseline(protocol), **changes})


# --------------------------------------------------------------------------------------------
# Cases: (protocol, red flag, answers changed from the baseline, triggers?, label)

Case = tuple[str, str, Answers, bool, str]
CASES: list[Case] = []


def add(
    protocols: tuple[str, ...] | str, rule: str, triggers: bool, label: str, **kw: object
) -> None:
    changes = {k.replace("__", "."): v for k, v in kw.items()}
    for protocol_id in (protocols,) if isinstance(protocols, str) else protocols:
        CASES.append((protocol_id, rule, changes, triggers, label))


SPINE = ("lumbar", "thoracic", "cervical")
YES, NO = "yes", "no"

# 6.0 shared rules
add(PROTOCOL_IDS, "rf.major_trauma", True, "major", general__trauma="major")
add(PROTOCOL_IDS, "rf.major_trauma", False, "minor", general__trauma="minor")
add(PROTOCOL_IDS, "rf.major_trauma", False, "none", general__trauma="none")
add(SPINE, "rf.spinal_malignancy", True, "cancer-alone", general__history_of_cancer=True)
add(
    SPINE,
    "rf.spinal_malignancy",
    True,
    "age50-weight",
    general__age=50,
    general__unexplained_weight_loss=True,
)
add(
    SPINE,
    "rf.spinal_malignancy",
    True,
    "age50-nonmech",
    general__age=50,
    general__non_mechanical_pain=True,
)
add(
    SPINE,
    "rf.spinal_malignancy",
    True,
    "weight-nonmech",
    general__unexplained_weight_loss=True,
    general__non_mechanical_pain=True,
)
add(
    SPINE,
    "rf.spinal_malignancy",
    False,
    "age49-weight",
    general__age=49,
    general__unexplained_weight_loss=True,
)
add(
    SPINE,
    "rf.spinal_malignancy",
    False,
    "age49-nonmech",
    general__age=49,
    general__non_mechanical_pain=True,
)
add(SPINE, "rf.spinal_malignancy", False, "age110-alone", general__age=110)
add(SPINE, "rf.spinal_malignancy", False, "weight-alone", general__unexplained_weight_loss=True)
add(SPINE, "rf.spinal_malignancy", False, "nonmech-alone", general__non_mechanical_pain=True)
add(
    SPINE,
    "rf.spinal_infection",
    True,
    "fever-risk",
    general__fever_or_unwell=True,
    general__infection_risk=True,
)
add(
    SPINE,
    "rf.spinal_infection",
    True,
    "fever-nonmech",
    general__fever_or_unwell=True,
    general__non_mechanical_pain=True,
)
add(SPINE, "rf.spinal_infection", False, "fever-alone", general__fever_or_unwell=True)
add(
    SPINE,
    "rf.spinal_infection",
    False,
    "risk-nonmech-no-fever",
    general__infection_risk=True,
    general__non_mechanical_pain=True,
)
for _rule, _protocols in (
    ("rf.vertebral_fracture", ("lumbar", "thoracic")),
    ("rf.cervical_fracture", ("cervical",)),
):
    add(_protocols, _rule, True, "minor-age65", general__trauma="minor", general__age=65)
    add(
        _protocols,
        _rule,
        True,
        "minor-osteo",
        general__trauma="minor",
        general__osteoporosis_or_steroids=True,
    )
    add(_protocols, _rule, False, "minor-age64", general__trauma="minor", general__age=64)
    add(_protocols, _rule, False, "major-age70", general__trauma="major", general__age=70)
    add(
        _protocols,
        _rule,
        False,
        "none-age80-osteo",
        general__trauma="none",
        general__age=80,
        general__osteoporosis_or_steroids=True,
    )
    add(_protocols, _rule, False, "minor-alone", general__trauma="minor")

# 6.1 lumbar
_CES = (
    "bilateral_leg_symptoms",
    "saddle_anaesthesia",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction",
)
for _symptom in _CES:
    add("lumbar", "rf.cauda_equina", True, _symptom, **{f"lumbar__{_symptom}": True})
add(
    "lumbar",
    "rf.cauda_equina",
    False,
    "progressive-weakness",
    lumbar__progressive_leg_weakness=True,
)
add("lumbar", "rf.cauda_equina", False, "one-leg", lumbar__one_leg_numbness_or_weakness=True)
for _symptom in ("progressive_leg_weakness", *_CES[:4]):
    add(
        "lumbar",
        "rf.metastatic_cord_compression",
        True,
        f"cancer-{_symptom}",
        general__history_of_cancer=True,
        **{f"lumbar__{_symptom}": True},
    )
add(
    "lumbar",
    "rf.metastatic_cord_compression",
    False,
    "cancer-sexual-dysfunction",
    general__history_of_cancer=True,
    lumbar__sexual_dysfunction=True,
)
add(
    "lumbar",
    "rf.metastatic_cord_compression",
    False,
    "cancer-one-leg",
    general__history_of_cancer=True,
    lumbar__one_leg_numbness_or_weakness=True,
)
add(
    "lumbar",
    "rf.metastatic_cord_compression",
    False,
    "weakness-no-cancer",
    lumbar__progressive_leg_weakness=True,
)
add(
    "lumbar",
    "rf.progressive_neurological_deficit",
    True,
    "progressive",
    lumbar__progressive_leg_weakness=True,
)
add(
    "lumbar",
    "rf.progressive_neurological_deficit",
    False,
    "one-leg",
    lumbar__one_leg_numbness_or_weakness=True,
)
add("lumbar", "rf.nerve_root_deficit", True, "one-leg", lumbar__one_leg_numbness_or_weakness=True)
add(
    "lumbar",
    "rf.nerve_root_deficit",
    False,
    "progressive-only",
    lumbar__progressive_leg_weakness=True,
)
SPA_CRITERIA = (
    "onset_before_35",
    "night_waking_second_half",
    "buttock_pain",
    "improves_with_movement",
    "nsaid_response",
    "family_history_spa",
    "arthritis_history",
    "enthesitis_history",
    "psoriasis_history",
)
SPA_GATES = {"lumbar.onset_before_45": True, "lumbar.duration_over_3_months": True}


def spa(criteria: tuple[str, ...] | list[str], **gates: bool) -> Answers:
    answers: Answers = {f"lumbar.{c}": True for c in criteria}
    answers.update({f"lumbar.{k}": v for k, v in gates.items()})
    return answers


add(
    "lumbar",
    "rf.axial_spondyloarthritis",
    True,
    "gates-first-4",
    **{
        k.replace(".", "__"): v
        for k, v in spa(SPA_CRITERIA[:4], onset_before_45=True, duration_over_3_months=True).items()
    },
)
add(
    "lumbar",
    "rf.axial_spondyloarthritis",
    True,
    "gates-last-4",
    **{
        k.replace(".", "__"): v
        for k, v in spa(
            SPA_CRITERIA[-4:], onset_before_45=True, duration_over_3_months=True
        ).items()
    },
)
add(
    "lumbar",
    "rf.axial_spondyloarthritis",
    False,
    "gates-3",
    **{
        k.replace(".", "__"): v
        for k, v in spa(SPA_CRITERIA[:3], onset_before_45=True, duration_over_3_months=True).items()
    },
)
add(
    "lumbar",
    "rf.axial_spondyloarthritis",
    False,
    "onset-gate-only-all-9",
    **{k.replace(".", "__"): v for k, v in spa(SPA_CRITERIA, onset_before_45=True).items()},
)
add(
    "lumbar",
    "rf.axial_spondyloarthritis",
    False,
    "duration-gate-only-all-9",
    **{k.replace(".", "__"): v for k, v in spa(SPA_CRITERIA, duration_over_3_months=True).items()},
)

# 6.2 thoracic
add("thoracic", "rf.spinal_cord_compression", True, "legs", thoracic__leg_neuro_symptoms=True)
add(
    "thoracic",
    "rf.spinal_cord_compression",
    True,
    "bladder-bowel",
    thoracic__bladder_bowel_change=True,
)
add(
    "thoracic",
    "rf.spinal_cord_compression",
    False,
    "chest",
    thoracic__chest_pain_or_breathlessness=True,
)
add(
    "thoracic",
    "rf.metastatic_cord_compression",
    True,
    "cancer-legs",
    general__history_of_cancer=True,
    thoracic__leg_neuro_symptoms=True,
)
add(
    "thoracic",
    "rf.metastatic_cord_compression",
    True,
    "cancer-bladder-bowel",
    general__history_of_cancer=True,
    thoracic__bladder_bowel_change=True,
)
add(
    "thoracic",
    "rf.metastatic_cord_compression",
    False,
    "cancer-chest",
    general__history_of_cancer=True,
    thoracic__chest_pain_or_breathlessness=True,
)
add(
    "thoracic",
    "rf.metastatic_cord_compression",
    False,
    "legs-no-cancer",
    thoracic__leg_neuro_symptoms=True,
)
add("thoracic", "rf.cardiorespiratory", True, "chest", thoracic__chest_pain_or_breathlessness=True)
add("thoracic", "rf.cardiorespiratory", False, "legs", thoracic__leg_neuro_symptoms=True)

# 6.3 cervical
for _symptom in (
    "sudden_severe_headache",
    "visual_disturbance",
    "speech_or_swallow_difficulty",
    "drop_attacks",
    "facial_numbness",
    "ataxia",
):
    add(
        "cervical",
        "rf.cervical_arterial_dysfunction",
        True,
        _symptom,
        **{f"cervical__{_symptom}": True},
    )
add(
    "cervical",
    "rf.cervical_arterial_dysfunction",
    False,
    "dizziness-alone",
    cervical__dizziness=True,
)
add(
    "cervical",
    "rf.spinal_cord_compression",
    True,
    "bladder-bowel",
    cervical__bladder_bowel_change=True,
)
add(
    "cervical",
    "rf.spinal_cord_compression",
    True,
    "rapid",
    cervical__rapid_neuro_deterioration=True,
)
add("cervical", "rf.spinal_cord_compression", False, "clumsy-hands", cervical__hand_clumsiness=True)
add(
    "cervical",
    "rf.spinal_cord_compression",
    False,
    "one-arm",
    cervical__one_arm_numbness_or_weakness=True,
)
for _symptom in (
    "hand_clumsiness",
    "gait_disturbance",
    "bilateral_hand_numbness",
    "rapid_neuro_deterioration",
    "bladder_bowel_change",
):
    add(
        "cervical",
        "rf.metastatic_cord_compression",
        True,
        f"cancer-{_symptom}",
        general__history_of_cancer=True,
        **{f"cervical__{_symptom}": True},
    )
add(
    "cervical",
    "rf.metastatic_cord_compression",
    False,
    "cancer-lhermitte",
    general__history_of_cancer=True,
    cervical__lhermitte=True,
)
add(
    "cervical",
    "rf.metastatic_cord_compression",
    False,
    "cancer-one-arm",
    general__history_of_cancer=True,
    cervical__one_arm_numbness_or_weakness=True,
)
add(
    "cervical",
    "rf.metastatic_cord_compression",
    False,
    "rapid-no-cancer",
    cervical__rapid_neuro_deterioration=True,
)
_MYELOPATHY = ("hand_clumsiness", "gait_disturbance", "bilateral_hand_numbness", "lhermitte")
for _a, _b in itertools.combinations(_MYELOPATHY, 2):
    add(
        "cervical",
        "rf.cervical_myelopathy",
        True,
        f"{_a}-{_b}",
        **{f"cervical__{_a}": True, f"cervical__{_b}": True},
    )
for _a in _MYELOPATHY:
    add("cervical", "rf.cervical_myelopathy", False, f"{_a}-alone", **{f"cervical__{_a}": True})
add(
    "cervical",
    "rf.nerve_root_deficit",
    True,
    "one-arm",
    cervical__one_arm_numbness_or_weakness=True,
)
add(
    "cervical",
    "rf.nerve_root_deficit",
    False,
    "rapid-only",
    cervical__rapid_neuro_deterioration=True,
)

# 6.4 shoulder
add("shoulder", "rf.unreduced_dislocation", True, "still-out", shoulder__dislocation="still_out")
add("shoulder", "rf.unreduced_dislocation", False, "reduced", shoulder__dislocation="reduced")
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    True,
    "minor-cannot-lift",
    general__trauma="minor",
    shoulder__can_lift_arm_after_injury=NO,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    True,
    "major-cannot-lift",
    general__trauma="major",
    shoulder__can_lift_arm_after_injury=NO,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    True,
    "reduced-age40",
    shoulder__dislocation="reduced",
    general__age=40,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    False,
    "reduced-age39",
    shoulder__dislocation="reduced",
    general__age=39,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    False,
    "minor-can-lift",
    general__trauma="minor",
    shoulder__can_lift_arm_after_injury=YES,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    False,
    "no-injury-cannot-lift-hidden",
    general__trauma="none",
    shoulder__can_lift_arm_after_injury=NO,
)
add(
    "shoulder",
    "rf.acute_rotator_cuff_tear",
    False,
    "still-out-age60",
    shoulder__dislocation="still_out",
    general__age=60,
)

# septic arthritis: a hot swollen joint alone, except the hip
for _region in ("shoulder", "elbow", "wrist_hand", "knee", "foot_ankle"):
    add(
        _region,
        "rf.septic_arthritis",
        True,
        "hot-swollen",
        **{f"{_region}__hot_swollen_joint": True},
    )
    add(
        _region,
        "rf.septic_arthritis",
        False,
        "fever-and-risk-without-hot-joint",
        general__fever_or_unwell=True,
        general__infection_risk=True,
    )

# persistent synovitis / inflammatory arthritis (elbow, wrist/hand, knee, foot/ankle)
for _region in ("elbow", "wrist_hand", "knee", "foot_ankle"):
    _swelling = {f"{_region}__persistent_swelling": True}
    for _feature in ("small_joints_affected", "multiple_joints_swollen", "symptoms_over_3_months"):
        add(
            _region,
            "rf.inflammatory_arthritis",
            True,
            f"swelling-{_feature}",
            **_swelling,
            **{f"{_region}__{_feature}": True},
        )
    add(_region, "rf.inflammatory_arthritis", False, "swelling-alone", **_swelling)
    add(
        _region,
        "rf.inflammatory_arthritis",
        False,
        "features-hidden-without-swelling",
        **{
            f"{_region}__{f}": True
            for f in ("small_joints_affected", "multiple_joints_swollen", "symptoms_over_3_months")
        },
    )
    add(_region, "rf.persistent_synovitis", True, "swelling", **_swelling)
    add(
        _region,
        "rf.persistent_synovitis",
        False,
        "hot-joint-only",
        **{f"{_region}__hot_swollen_joint": True},
    )

# 6.5 elbow
add(
    "elbow",
    "rf.elbow_fracture",
    True,
    "injury-cannot-straighten",
    elbow__acute_injury_last_7_days=True,
    elbow__can_fully_straighten=NO,
)
add(
    "elbow",
    "rf.elbow_fracture",
    False,
    "injury-can-straighten",
    elbow__acute_injury_last_7_days=True,
    elbow__can_fully_straighten=YES,
)
add(
    "elbow",
    "rf.elbow_fracture",
    False,
    "no-injury-cannot-straighten-hidden",
    elbow__acute_injury_last_7_days=False,
    elbow__can_fully_straighten=NO,
)
add("elbow", "rf.distal_biceps_rupture", True, "pop", elbow__biceps_pop_weakness=True)
add("elbow", "rf.distal_biceps_rupture", False, "injury-only", elbow__acute_injury_last_7_days=True)

# 6.6 wrist/hand
add(
    "wrist_hand",
    "rf.scaphoid_fracture",
    True,
    "foosh-snuffbox",
    wrist_hand__fall_on_outstretched_hand=True,
    wrist_hand__snuffbox_pain=True,
)
add(
    "wrist_hand",
    "rf.scaphoid_fracture",
    False,
    "foosh-alone",
    wrist_hand__fall_on_outstretched_hand=True,
)
add("wrist_hand", "rf.scaphoid_fracture", False, "snuffbox-alone", wrist_hand__snuffbox_pain=True)
add(
    "wrist_hand",
    "rf.severe_carpal_tunnel",
    True,
    "constant-numbness",
    wrist_hand__constant_numbness=True,
)
add(
    "wrist_hand", "rf.severe_carpal_tunnel", True, "thenar-wasting", wrist_hand__thenar_wasting=True
)
add(
    "wrist_hand",
    "rf.severe_carpal_tunnel",
    True,
    "both",
    wrist_hand__constant_numbness=True,
    wrist_hand__thenar_wasting=True,
)
add("wrist_hand", "rf.severe_carpal_tunnel", False, "snuffbox", wrist_hand__snuffbox_pain=True)

# 6.7 hip
add(
    "hip",
    "rf.hip_fracture",
    True,
    "minor-cannot-weight-bear",
    general__trauma="minor",
    hip__can_weight_bear=NO,
)
add(
    "hip",
    "rf.hip_fracture",
    True,
    "major-cannot-weight-bear",
    general__trauma="major",
    hip__can_weight_bear=NO,
)
add(
    "hip",
    "rf.hip_fracture",
    False,
    "no-injury-cannot-weight-bear",
    general__trauma="none",
    hip__can_weight_bear=NO,
)
add(
    "hip",
    "rf.hip_fracture",
    False,
    "minor-can-weight-bear",
    general__trauma="minor",
    hip__can_weight_bear=YES,
)
add("hip", "rf.serious_hip_pathology", True, "cannot-weight-bear", hip__can_weight_bear=NO)
add(
    "hip",
    "rf.serious_hip_pathology",
    True,
    "acute-severe-pain",
    hip__acute_severe_pain_any_movement=True,
)
add(
    "hip",
    "rf.serious_hip_pathology",
    False,
    "minor-injury-can-weight-bear",
    general__trauma="minor",
    hip__can_weight_bear=YES,
)
add(
    "hip",
    "rf.serious_hip_pathology",
    False,
    "fever-and-risk",
    general__fever_or_unwell=True,
    general__infection_risk=True,
)
add(
    "hip",
    "rf.septic_arthritis",
    True,
    "acute-fever",
    hip__acute_severe_pain_any_movement=True,
    general__fever_or_unwell=True,
)
add(
    "hip",
    "rf.septic_arthritis",
    True,
    "acute-risk",
    hip__acute_severe_pain_any_movement=True,
    general__infection_risk=True,
)
add("hip", "rf.septic_arthritis", False, "acute-alone", hip__acute_severe_pain_any_movement=True)
add(
    "hip",
    "rf.septic_arthritis",
    False,
    "fever-risk-no-pain",
    general__fever_or_unwell=True,
    general__infection_risk=True,
)

# DVT: calf signs alone (hip, knee, foot/ankle)
for _region in ("hip", "knee", "foot_ankle"):
    add(_region, "rf.dvt", True, "calf", **{f"{_region}__calf_swollen_or_tender": True})
    add(_region, "rf.dvt", False, "no-calf-signs", general__infection_risk=True)

# 6.8 knee
_KNEE_INJURY = {"knee__acute_injury_last_7_days": True}
add("knee", "rf.knee_fracture", True, "injury-age55", general__age=55, **_KNEE_INJURY)
add("knee", "rf.knee_fracture", False, "injury-age54", general__age=54, **_KNEE_INJURY)
add(
    "knee",
    "rf.knee_fracture",
    True,
    "injury-cannot-weight-bear",
    knee__can_weight_bear=NO,
    **_KNEE_INJURY,
)
add("knee", "rf.knee_fracture", True, "injury-cannot-bend", knee__can_bend_90=NO, **_KNEE_INJURY)
add(
    "knee",
    "rf.knee_fracture",
    True,
    "injury-bony-tenderness",
    knee__bony_tenderness=True,
    **_KNEE_INJURY,
)
add("knee", "rf.knee_fracture", False, "injury-no-ottawa-criterion", **_KNEE_INJURY)
add(
    "knee",
    "rf.knee_fracture",
    False,
    "no-injury-all-criteria-hidden",
    general__age=60,
    knee__acute_injury_last_7_days=False,
    knee__can_weight_bear=NO,
    knee__can_bend_90=NO,
    knee__bony_tenderness=True,
)
add("knee", "rf.locked_knee", True, "locked", knee__locked=True)
add(
    "knee",
    "rf.locked_knee",
    False,
    "cannot-bend-after-injury",
    knee__can_bend_90=NO,
    **_KNEE_INJURY,
)

# 6.9 foot/ankle
add("foot_ankle", "rf.achilles_rupture", True, "snap", foot_ankle__achilles_snap=True)
add("foot_ankle", "rf.achilles_rupture", True, "gap", foot_ankle__achilles_gap=True)
add(
    "foot_ankle", "rf.achilles_rupture", False, "calf-only", foot_ankle__calf_swollen_or_tender=True
)
_ANKLE_INJURY = {"foot_ankle__acute_injury_last_7_days": True}
add(
    "foot_ankle",
    "rf.ankle_fracture",
    True,
    "injury-cannot-weight-bear",
    foot_ankle__can_weight_bear=NO,
    **_ANKLE_INJURY,
)
add(
    "foot_ankle",
    "rf.ankle_fracture",
    True,
    "injury-malleolar",
    foot_ankle__malleolar_bone_tenderness=True,
    **_ANKLE_INJURY,
)
add(
    "foot_ankle",
    "rf.ankle_fracture",
    True,
    "injury-midfoot",
    foot_ankle__midfoot_bone_tenderness=True,
    **_ANKLE_INJURY,
)
add(
    "foot_ankle",
    "rf.ankle_fracture",
    False,
    "injury-no-ottawa-criterion",
    general__age=80,
    **_ANKLE_INJURY,
)
add(
    "foot_ankle",
    "rf.ankle_fracture",
    False,
    "no-injury-all-criteria-hidden",
    foot_ankle__acute_injury_last_7_days=False,
    foot_ankle__can_weight_bear=NO,
    foot_ankle__malleolar_bone_tenderness=True,
    foot_ankle__midfoot_bone_tenderness=True,
)


# --------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_all_negative_baseline_triggers_nothing(protocol_id: str) -> None:
    result = evaluate_with(protocol_id, {})
    assert result.red_flags == ()
    assert result.disposition is Disposition.SELF_MANAGEMENT
    assert result.destination is None
    assert result.complete is True
    assert result.unanswered == ()


@pytest.mark.parametrize(
    ("protocol_id", "rule_id", "changes", "triggers"),
    [pytest.param(p, r, c, t, id=f"{p}-{r}-{label}") for p, r, c, t, label in CASES],
)
def test_red_flag_rule(protocol_id: str, rule_id: str, changes: Answers, triggers: bool) -> None:
    result = evaluate_with(protocol_id, changes)
    assert (rule_id in result.red_flags) is triggers, result.red_flags
    _, disposition, destination, action = SPEC_RED_FLAGS[(protocol_id, rule_id)]
    if triggers:
        assert not result.disposition.is_less_severe_than(Disposition(disposition))
        line = f"Red flag {rule_id} "
        assert any(r.startswith(line) and r.endswith(action) for r in result.rationale)
        if result.red_flags == (rule_id,):  # alone, the rule decides exactly
            assert result.disposition == disposition
            assert result.destination == destination


def test_every_spec_rule_has_triggering_and_non_triggering_cases() -> None:
    covered = {(p, r, t) for p, r, _, t, _ in CASES}
    for protocol_id, rule_id in SPEC_RED_FLAGS:
        assert (protocol_id, rule_id, True) in covered, (protocol_id, rule_id)
        assert (protocol_id, rule_id, False) in covered, (protocol_id, rule_id)


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_protocol_has_exactly_the_spec_red_flags(protocol_id: str) -> None:
    ids = sorted(r.id for r in shipped()[protocol_id].red_flags)
    assert ids == SPEC_INDEX[protocol_id].split()
    assert ids == sorted(r for p, r in SPEC_RED_FLAGS if p == protocol_id)


@pytest.mark.parametrize(("protocol_id", "rule_id"), list(SPEC_RED_FLAGS))
def test_rule_matches_spec_table(protocol_id: str, rule_id: str) -> None:
    condition, disposition, destination, action = SPEC_RED_FLAGS[(protocol_id, rule_id)]
    rule = shipped()[protocol_id].red_flag(rule_id)
    assert notation(rule.condition) == condition
    assert rule.disposition == disposition
    assert rule.destination == destination
    assert rule.action == action
    assert rule.sources
    assert all(s.strip() for s in rule.sources)


def test_vertebral_fracture_rule_does_not_apply_to_the_neck() -> None:
    result = evaluate_with("cervical", {"general.trauma": "minor", "general.age": 70})
    assert result.red_flags == ("rf.cervical_fracture",)
    assert result.disposition is Disposition.EMERGENCY  # decision 11: an emergency in the neck
    lumbar = evaluate_with("lumbar", {"general.trauma": "minor", "general.age": 70})
    assert lumbar.red_flags == ("rf.vertebral_fracture",)
    assert lumbar.disposition is Disposition.URGENT_REFERRAL


# -- disposition and destination precedence (spec 8 step 2)

PRECEDENCE_CASES = [
    (
        "knee",
        {
            "knee.hot_swollen_joint": True,
            "general.age": 60,
            **{"knee.acute_injury_last_7_days": True},
        },
        ("rf.knee_fracture", "rf.septic_arthritis"),
        "emergency",
        "emergency_department",
    ),
    (
        "knee",
        {
            "knee.calf_swollen_or_tender": True,
            "knee.acute_injury_last_7_days": True,
            "knee.bony_tenderness": True,
        },
        ("rf.dvt", "rf.knee_fracture"),
        "emergency",
        "vascular_same_day",
    ),
    (
        "knee",
        {
            "knee.locked": True,
            "knee.persistent_swelling": True,
            "knee.multiple_joints_swollen": True,
        },
        ("rf.inflammatory_arthritis", "rf.locked_knee", "rf.persistent_synovitis"),
        "urgent_referral",
        "orthopaedics_urgent",
    ),
    (
        "knee",
        {"knee.persistent_swelling": True, "knee.symptoms_over_3_months": True},
        ("rf.inflammatory_arthritis", "rf.persistent_synovitis"),
        "urgent_referral",
        "rheumatology",
    ),
    (
        "lumbar",
        {
            "general.age": 50,
            "general.unexplained_weight_loss": True,
            "general.trauma": "minor",
            "general.osteoporosis_or_steroids": True,
        },
        ("rf.spinal_malignancy", "rf.vertebral_fracture"),
        "urgent_referral",
        "suspected_cancer_pathway",
    ),
    (
        "lumbar",
        {
            "general.age": 50,
            "general.unexplained_weight_loss": True,
            "lumbar.progressive_leg_weakness": True,
        },
        ("rf.progressive_neurological_deficit", "rf.spinal_malignancy"),
        "urgent_referral",
        "spinal_surgery_urgent",
    ),
    (
        "lumbar",
        {
            "lumbar.one_leg_numbness_or_weakness": True,
            **spa(SPA_CRITERIA[:4], onset_before_45=True, duration_over_3_months=True),
        },
        ("rf.axial_spondyloarthritis", "rf.nerve_root_deficit"),
        "urgent_f2f",
        None,
    ),
    (
        "cervical",
        {
            "cervical.hand_clumsiness": True,
            "cervical.lhermitte": True,
            "cervical.one_arm_numbness_or_weakness": True,
        },
        ("rf.cervical_myelopathy", "rf.nerve_root_deficit"),
        "urgent_referral",
        "spinal_surgery_urgent",
    ),
    (
        "hip",
        {"general.trauma": "minor", "hip.can_weight_bear": "no"},
        ("rf.hip_fracture", "rf.serious_hip_pathology"),
        "emergency",
        "emergency_department",
    ),
    (
        "wrist_hand",
        {
            "wrist_hand.thenar_wasting": True,
            "smsk.1": 10,
            "smsk.6": True,
            "smsk.7": True,
            "smsk.8": True,
            "smsk.9": True,
            "smsk.10": True,
        },
        ("rf.severe_carpal_tunnel",),
        "onward_referral",
        "orthopaedics",
    ),
    (
        "foot_ankle",
        {
            "foot_ankle.achilles_gap": True,
            "foot_ankle.acute_injury_last_7_days": True,
            "foot_ankle.malleolar_bone_tenderness": True,
        },
        ("rf.achilles_rupture", "rf.ankle_fracture"),
        "emergency",
        "emergency_department",
    ),
]


@pytest.mark.parametrize(
    ("protocol_id", "changes", "red_flags", "disposition", "destination"), PRECEDENCE_CASES
)
def test_most_severe_disposition_and_destination_precedence(
    protocol_id: str,
    changes: Answers,
    red_flags: tuple[str, ...],
    disposition: str,
    destination: str | None,
) -> None:
    result = evaluate_with(protocol_id, changes)
    assert result.red_flags == red_flags
    assert result.disposition == disposition
    assert result.destination == destination
    assert result.pathway is None  # a red flag decides; the yellow flags do not add a pathway


# -- yellow-flag decision (spec 8 step 3)

YELLOW_CASES = [
    ("lumbar", {}, "low", "self_management", None),
    (
        "lumbar",
        {"sbt.1": True, "sbt.2": True, "sbt.3": True, "sbt.4": True},
        "medium",
        "routine_f2f",
        None,
    ),
    (
        "lumbar",
        {"sbt.1": True, "sbt.5": True, "sbt.6": True, "sbt.7": True, "sbt.8": True},
        "high",
        "routine_f2f",
        "psychologically_informed",
    ),
    ("lumbar", {"sbt.9": None}, None, "routine_f2f", None),
    ("thoracic", {"sbt.4": None}, None, "routine_f2f", None),
    ("knee", {"smsk.1": 4}, "low", "self_management", None),
    ("knee", {"smsk.1": 10, "smsk.2": True, "smsk.3": True}, "medium", "routine_f2f", None),
    (
        "knee",
        {"smsk.1": 9, **{f"smsk.{i}": True for i in range(2, 8)}},
        "high",
        "routine_f2f",
        "psychologically_informed",
    ),
    ("knee", {"smsk.1": None}, None, "routine_f2f", None),
    ("hip", {"smsk.10": None, "smsk.1": 0}, None, "routine_f2f", None),
]


@pytest.mark.parametrize(("protocol_id", "changes", "risk", "disposition", "pathway"), YELLOW_CASES)
def test_yellow_flags_decide_without_a_red_flag(
    protocol_id: str, changes: Answers, risk: str | None, disposition: str, pathway: str | None
) -> None:
    result = evaluate_with(protocol_id, changes)
    assert result.red_flags == ()
    assert result.score.risk == risk
    assert result.score.complete is (risk is not None)
    assert result.disposition == disposition
    assert result.destination is None
    assert result.pathway == pathway
    assert result.complete is True  # an incomplete tool never makes the result incomplete


def test_red_flag_outranks_high_yellow_flag_risk() -> None:
    result = evaluate_with(
        "lumbar",
        {
            "lumbar.one_leg_numbness_or_weakness": True,
            "sbt.5": True,
            "sbt.6": True,
            "sbt.7": True,
            "sbt.8": True,
        },
    )
    assert result.score.risk is RiskGroup.HIGH  # still computed and reported
    assert result.disposition is Disposition.URGENT_F2F
    assert result.pathway is None


# -- NG65: exactly 3 criteria (decision 6)


@pytest.mark.parametrize(
    ("criteria", "gates", "red_flag", "hla_line"),
    [
        (3, True, False, True),
        (4, True, True, False),
        (9, True, True, False),
        (2, True, False, False),
        (3, False, False, False),
    ],
)
def test_ng65_exactly_three_criteria_suggests_hla_b27(
    criteria: int, gates: bool, red_flag: bool, hla_line: bool
) -> None:
    changes = spa(SPA_CRITERIA[:criteria], onset_before_45=gates, duration_over_3_months=gates)
    result = evaluate_with("lumbar", changes)
    assert ("rf.axial_spondyloarthritis" in result.red_flags) is red_flag
    assert any("HLA-B27" in line for line in result.rationale) is hla_line
    if hla_line:
        assert result.red_flags == ()
        assert result.disposition is Disposition.SELF_MANAGEMENT
        assert any("GP" in line and "3" in line for line in result.rationale)


# -- unanswered items and show_if (spec 4.3, 8 step 4)


def test_hidden_items_are_never_unanswered_and_visible_ones_are() -> None:
    knee = shipped()["knee"]
    answers = baseline(knee)
    for gated in ("knee.can_weight_bear", "knee.can_bend_90", "knee.bony_tenderness"):
        del answers[gated]
    hidden = evaluate_answers(knee, {**answers, "knee.acute_injury_last_7_days": False})
    assert hidden.unanswered == ()
    assert hidden.complete is True
    shown = evaluate_answers(knee, {**answers, "knee.acute_injury_last_7_days": True})
    assert shown.unanswered == ("knee.bony_tenderness", "knee.can_bend_90", "knee.can_weight_bear")
    assert shown.complete is False
    gate_unanswered = evaluate_answers(knee, {**answers, "knee.acute_injury_last_7_days": None})
    assert gate_unanswered.unanswered == ("knee.acute_injury_last_7_days",)


def test_tool_and_text_items_are_never_unanswered() -> None:
    result = evaluate_with("cervical", {"smsk.4": None, "general.notes": None})
    assert result.unanswered == ()
    assert result.complete is True
    assert result.score.complete is False


def test_lumbar_criteria_hide_together_when_a_gate_is_unanswered() -> None:
    lumbar = shipped()["lumbar"]
    answers = {
        k: v for k, v in baseline(lumbar).items() if k.removeprefix("lumbar.") not in SPA_CRITERIA
    }
    answers["lumbar.onset_before_45"] = True
    del answers["lumbar.duration_over_3_months"]
    result = evaluate_answers(lumbar, answers)
    assert result.unanswered == ("lumbar.duration_over_3_months",)
    answers["lumbar.duration_over_3_months"] = True
    result = evaluate_answers(lumbar, answers)
    assert result.unanswered == tuple(sorted(f"lumbar.{c}" for c in SPA_CRITERIA))


def _knee_with_chained_show_if() -> TriageProtocol:
    """The knee protocol with can_bend_90 asked only after bony tenderness (a show_if chain)."""
    text = shipped()["knee"].file_bytes.decode()
    marker = "      - id: knee.can_bend_90\n"
    start = text.index(marker)
    end = text.index("      - id: knee.bony_tenderness\n")
    block = text[start:end].replace(
        "show_if: {item: knee.acute_injury_last_7_days, is: true}",
        "show_if: {item: knee.bony_tenderness, is: true}",
    )
    return load_protocol_bytes(
        (text[:start] + text[end:])
        .replace(
            "      - id: knee.calf_swollen_or_tender\n",
            block + "      - id: knee.calf_swollen_or_tender\n",
        )
        .encode(),
        "knee-chained.yaml",
    )


def test_item_hidden_by_a_hidden_item_is_hidden_too() -> None:
    knee = _knee_with_chained_show_if()
    answers = {
        **baseline(knee),
        "knee.acute_injury_last_7_days": False,
        "knee.bony_tenderness": True,
        "knee.can_bend_90": "no",
    }
    del answers["knee.can_weight_bear"]
    result = evaluate_answers(knee, answers)
    # bony_tenderness is hidden, so it counts as unanswered in can_bend_90's show_if as well.
    assert "knee.can_bend_90" not in result.visible_items
    assert result.red_flags == ()
    assert result.unanswered == ()
    answers["knee.acute_injury_last_7_days"] = True
    result = evaluate_answers(knee, answers)
    assert "knee.can_bend_90" in result.visible_items
    assert result.red_flags == ("rf.knee_fracture",)
    assert result.unanswered == ("knee.can_weight_bear",)


# -- vocabulary (spec 2.4, 2.5, 8)


def test_disposition_ranks_follow_the_spec_table() -> None:
    assert [d.value for d in DISPOSITIONS_MOST_SEVERE_FIRST] == [
        "emergency",
        "urgent_referral",
        "urgent_f2f",
        "onward_referral",
        "routine_f2f",
        "self_management",
    ]
    assert [d.rank for d in DISPOSITIONS_MOST_SEVERE_FIRST] == [1, 2, 3, 4, 5, 6]
    assert Disposition.ROUTINE_F2F.is_less_severe_than(Disposition.ONWARD_REFERRAL)
    assert Disposition.URGENT_F2F.is_more_severe_than(Disposition.ONWARD_REFERRAL)
    assert not Disposition.EMERGENCY.is_less_severe_than(Disposition.EMERGENCY)
    assert not Disposition.EMERGENCY.is_more_severe_than(Disposition.EMERGENCY)
    for a, b in itertools.product(Disposition, repeat=2):
        assert a.is_less_severe_than(b) == (a.rank > b.rank) == b.is_more_severe_than(a)


def test_destination_precedence_follows_the_spec_table() -> None:
    assert [d.value for d in DESTINATIONS_BY_PRECEDENCE] == [
        "emergency_department",
        "vascular_same_day",
        "urgent_treatment_centre",
        "spinal_surgery_urgent",
        "suspected_cancer_pathway",
        "orthopaedics_urgent",
        "rheumatology",
        "gp_urgent",
        "orthopaedics",
    ]
    assert [d.precedence for d in DESTINATIONS_BY_PRECEDENCE] == list(range(1, 10))
    assert "fracture_clinic" not in {d.value for d in Destination}


def test_yellow_flag_mapping_and_red_flag_dispositions() -> None:
    assert YELLOW_FLAG_DECISION == {
        RiskGroup.LOW: (Disposition.SELF_MANAGEMENT, None),
        RiskGroup.MEDIUM: (Disposition.ROUTINE_F2F, None),
        RiskGroup.HIGH: (Disposition.ROUTINE_F2F, Pathway.PSYCHOLOGICALLY_INFORMED),
        None: (Disposition.ROUTINE_F2F, None),
    }
    assert red_flag_dispositions() == (
        Disposition.EMERGENCY,
        Disposition.URGENT_REFERRAL,
        Disposition.URGENT_F2F,
        Disposition.ONWARD_REFERRAL,
    )


def test_the_answers_that_raise_a_standing_flag_are_named() -> None:
    """The form marks these answers ⚠ RED FLAG: each test in a standing flag's rule that holds."""
    assert evaluate_with("lumbar", {}).raised_by == frozenset()
    result = evaluate_with(
        "lumbar",
        {
            "general.age": 60,
            "general.unexplained_weight_loss": True,
            "lumbar.saddle_anaesthesia": True,
        },
    )
    assert result.red_flags == ("rf.cauda_equina", "rf.spinal_malignancy")
    # Two of the three criteria of the malignancy rule hold (the third, constant night pain, is
    # answered no), and the cauda equina rule's one test.
    assert result.raised_by == {
        "general.age", "general.unexplained_weight_loss", "lumbar.saddle_anaesthesia"
    }  # fmt: skip
    withdrawn = evaluate_with("lumbar", {"general.age": 60})  # one criterion: no flag stands
    assert withdrawn.red_flags == ()
    assert withdrawn.raised_by == frozenset()
