"""Tests for the precision guards of pipeline/tuples.py (QA2 T1-T4, O1): clause debris, arm names and
the treatment itself are no outcomes; species sets and demonstrative remnants are no interventions;
participant-description sentences give no tuples; a prevented decrease is a kept-up level; spans end
on word boundaries; a cell before its process is not the outcome's concept. All sentences are invented."""

from __future__ import annotations

import pytest

from pipeline.rules import load_rules
from pipeline.tuples import TupleExtractor, _word_end, _word_start
from pipeline.types import Mention

# fmt: off
# (text, [(surface, label)], outcome text that must NOT be produced)
REJECTED_OUTCOME_CASES = [
    ("Chen et al. [6] reported that quercetin decreased the ERK2 group.", [("quercetin", "INTERVENTION")], "ERK2 group"),
    ("周等[5]报道，雷奈酸锶提高骨密度，随着年龄增长这一比例还将升高。", [("雷奈酸锶", "INTERVENTION")], "随着年龄增长这一比例还将"),
    ("Ma et al. [3] showed that tai chi reduced both domains.", [("tai chi", "INTERVENTION")], "both domains"),
]
# (text, [(surface, label)], intervention texts that must NOT be produced)
REJECTED_AGENT_CASES = [
    ("周等[5]报道，口服维生素D有减轻软骨退变的作用。", [("维生素D", "INTERVENTION")], ("口服维生素D有",)),
    ("刘等[8]给予葛根素，部分大鼠出现骨折增加。", [("大鼠", "SPECIES"), ("葛根素", "INTERVENTION")], ("部分大鼠", "部分")),
    # a model qualifying the animals names the population, not the treatment, when no normal/sham arm is contrasted
    ("王等[4]发现激活MIA大鼠滑膜中的NF-κB通路促进软骨降解。", [("MIA", "MODEL"), ("NF-κB通路", "GENE_PROTEIN")], ("MIA",)),
    ("吴等[6]发现对链脲佐菌素诱导的糖尿病大鼠喂食葛根素能延缓骨量丢失。", [("葛根素", "INTERVENTION")], ("链脲佐菌素",)),
    ("Wu et al. [6] found that in streptozotocin-induced diabetic rats puerarin slowed bone loss.",
     [("puerarin", "INTERVENTION")], ("streptozotocin",)),
    ("Xu et al. [8] found that OVX rats given vitamin K showed increased BMD.",
     [("OVX", "MODEL"), ("vitamin K", "INTERVENTION")], ("OVX",)),
]
# (text, [(surface, label)], (intervention, outcome, direction)): contrasted with a normal/sham arm the
# model is the exposure the sentence compares
MODEL_CONTRAST_CASES = [
    ("刘等[2]报道，与假手术组相比，OVX大鼠骨密度明显降低。", [("OVX", "MODEL")], ("OVX", "骨密度", "decrease")),
]
# (text, [(surface, label)], outcome that must not become a tuple: what the control arm alone shows)
CONTROL_ARM_CASES = [
    ("周等[5]给予大鼠淫羊藿苷，8周时对照组关节面粗糙，部分区域出现软骨缺损。", [("淫羊藿苷", "INTERVENTION")], "软骨缺损"),
    ("周等[5]给予大鼠淫羊藿苷，对照组软骨组织中MMP-13表达明显升高。", [("淫羊藿苷", "INTERVENTION")], "MMP-13表达"),
]
# (text, [(surface, label)], outcome of the same sentence stated as a result): an attempt or purpose
# verb before the change ('试图…提高'; English 'attempted to' is the same cue row) states no finding
AIM_CASES = [
    ("周等[5]试图以淫羊藿苷提高大鼠骨密度。", [("淫羊藿苷", "INTERVENTION")], "骨密度"),
    ("周等[5]试图用淫羊藿苷提高大鼠骨密度。", [("淫羊藿苷", "INTERVENTION")], "骨密度"),
]
# (text, [(surface, label)], outcome kept: the control arm is the baseline of a comparison or is contrasted)
CONTROL_BASELINE_CASES = [
    ("周等[5]给予大鼠淫羊藿苷，治疗组骨密度显著高于对照组（P<0.05）。", [("淫羊藿苷", "INTERVENTION")], "骨密度"),
    ("周等[5]报道，与对照组相比，淫羊藿苷明显提高骨密度。", [("淫羊藿苷", "INTERVENTION")], "骨密度"),
    ("周等[5]给予患儿骨髓移植，患者骨量增高，而同期对照组儿童骨量增高仅为1g，骨小梁增粗。", [("骨髓移植", "INTERVENTION")], "骨小梁"),
]
# (text, [(surface, label)], outcome that must not be credited to the study's treatment: a blocker's effect)
BLOCKER_CASES = [
    ("冯等[6]发现，机械拉伸促进Wnt5a表达，在应用ERK 抑制剂后，Wnt5a 表达水平降低。", [("机械拉伸", "INTERVENTION")],
     ("机械拉伸", "Wnt5a 表达水平", "decrease")),
    ("冯等[6]发现，机械拉伸促进Wnt5a表达，当敲低 Akt 后，Wnt5a 表达水平降低。", [("机械拉伸", "INTERVENTION")],
     ("机械拉伸", "Wnt5a 表达水平", "decrease")),
    ("冯等[6]发现，机械拉伸促进Wnt5a表达，当ERK受到抑制时，Wnt5a 表达水平降低。", [("机械拉伸", "INTERVENTION")],
     ("机械拉伸", "Wnt5a 表达水平", "decrease")),
]
# (text, [(surface, label)], outcome text after the adverb tail is cut)
STRIPPED_TAIL_CASES = [
    ("吴等[6]研究发现，补骨脂素使大鼠运动功能得以明显改善。", [("补骨脂素", "INTERVENTION")], "大鼠运动功能"),
    ("周等[5]报道，维生素D可以延缓软骨退变12。", [("维生素D", "INTERVENTION")], "软骨退变"),
    ("周等[5]报道，口服维生素D有减轻软骨退变的作用。", [("维生素D", "INTERVENTION")], "软骨退变"),
]
# (text, [(surface, label)], (intervention, outcome, direction))
KEPT_CASES = [
    ("赵等[9]发现，低频振动可促进骨折愈合。", [("低频振动", "INTERVENTION")], ("低频振动", "骨折愈合", "increase")),
    ("Wu et al. [7] showed that vitamin K avoided the decrease in osteocalcin levels.",
     [("vitamin K", "INTERVENTION")], ("vitamin K", "osteocalcin levels", "increase")),
    ("Park et al. [8] found that zoledronate reduced the occurrence of hip fracture by 20%.", [],
     ("zoledronate", "occurrence of hip fracture", "decrease")),
    ("Xu et al. [5] reported that icariin increased osteocalcin content in the icariin group.",
     [("icariin", "INTERVENTION")], ("icariin", "osteocalcin content", "increase")),
    ("The content of type 2 collagen in the AA group was higher than in the control group [3].", [],
     ("the AA", "content of type 2 collagen", "increase")),
    ("胡等[4]报道，葛根素组与模型组相对比钙盐结节明显增多。", [("葛根素", "INTERVENTION")], ("葛根素", "钙盐结节", "increase")),
    ("Ito et al. [4] reported that bracing prevented the loss of vertebral height.",
     [("bracing", "INTERVENTION")], ("bracing", "loss of vertebral height", "decrease")),
]
# English clauses about who the participants were give no tuple; the sentence's other clauses still do
# (text, the tuples expected as (intervention, outcome, direction))
PARTICIPANT_CASES = [
    ("Excluded participants had lower grip strength than those given vitamin D [9].", []),
    ("Lee et al. [2] reported that teriparatide had no effect; those who developed fractures had lower BMD.", []),
    ("Huang et al. [5] found that calcium levels of placebo patients decreased, while alendronate increased BMD.",
     [("alendronate", "BMD", "increase")]),
]
# (text, cut position inside a word, word start, word end)
WORD_BOUNDARY_CASES = [
    ("since changes in Hb", 7, 6, 13),
    ("the lactulose/mannitol ratio", 9, 4, 13),
    ("骨密度 BMD", 1, 1, 1),
]
# fmt: on


@pytest.fixture(scope="module")
def extractor(rules_dir):
    return TupleExtractor(load_rules(rules_dir))


def _doc(extractor, make_doc, text, surfaces):
    mentions = []
    for surface, label in surfaces:
        s = text.index(surface)
        mentions.append(Mention(s, s + len(surface), surface, label, "rule", f"C_T{len(mentions)}", surface, surface))
    return extractor(make_doc(text, mentions=tuple(mentions)))


@pytest.mark.parametrize("text,surfaces,outcome", REJECTED_OUTCOME_CASES)
def test_tuples_precision_rejects_debris_and_arm_outcomes(extractor, make_doc, text, surfaces, outcome):
    doc = _doc(extractor, make_doc, text, surfaces)
    assert all(t.outcome_text != outcome for t in doc.tuples), [(t.intervention_text, t.outcome_text) for t in doc.tuples]


@pytest.mark.parametrize("text,surfaces,agents", REJECTED_AGENT_CASES)
def test_tuples_precision_rejects_species_sets_and_model_animals(extractor, make_doc, text, surfaces, agents):
    doc = _doc(extractor, make_doc, text, surfaces)
    assert all(t.intervention_text not in agents for t in doc.tuples), [(t.intervention_text, t.outcome_text) for t in doc.tuples]


@pytest.mark.parametrize("text,surfaces,outcome", STRIPPED_TAIL_CASES)
def test_tuples_precision_outcome_loses_adverb_tail(extractor, make_doc, text, surfaces, outcome):
    doc = _doc(extractor, make_doc, text, surfaces)
    assert outcome in [t.outcome_text for t in doc.tuples], [t.outcome_text for t in doc.tuples]


@pytest.mark.parametrize("text,surfaces,expected", KEPT_CASES)
def test_tuples_precision_keeps_real_claims(extractor, make_doc, text, surfaces, expected):
    doc = _doc(extractor, make_doc, text, surfaces)
    found = [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]
    assert expected in found, found


@pytest.mark.parametrize("text,expected", PARTICIPANT_CASES)
def test_tuples_precision_participant_clauses_give_no_tuples(extractor, make_doc, text, expected):
    doc = _doc(extractor, make_doc, text, [])
    assert [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples] == expected


@pytest.mark.parametrize("text,cut,start,end", WORD_BOUNDARY_CASES)
def test_tuples_precision_spans_clamp_to_words(text, cut, start, end):
    assert _word_start(text, cut) == start
    assert _word_end(text, cut) == end


def test_tuples_precision_outcome_concept_is_the_process_not_the_cell(extractor, make_doc):
    text = "钱等[3]发现，低频振动促进MSCs成骨分化。"
    doc = _doc(extractor, make_doc, text, [("低频振动", "INTERVENTION"), ("MSCs", "CELL"), ("成骨分化", "OUTCOME")])
    ids = {t.outcome_text: t.outcome_id for t in doc.tuples}
    assert ids.get("MSCs成骨分化") == "C_T2", ids


@pytest.mark.parametrize("text,surfaces,wrong", BLOCKER_CASES)
def test_tuples_precision_blocker_effect_is_not_the_treatments(extractor, make_doc, text, surfaces, wrong):
    doc = _doc(extractor, make_doc, text, surfaces)
    found = [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]
    assert wrong not in found and ("机械拉伸", "Wnt5a表达", "increase") in found, found



def test_tuples_precision_named_blocker_keeps_its_claim(extractor, make_doc):
    text = "冯等[6]用单克隆抗体阻断剂抑制整合素β1后，发现骨桥蛋白表达降低。"
    doc = _doc(extractor, make_doc, text, [("单克隆抗体", "INTERVENTION")])
    found = [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]
    assert any(i.startswith("单克隆抗体") and o == "骨桥蛋白表达" and d == "decrease" for i, o, d in found), found


# fmt: off
# A clause takes the marker that closes it, not an earlier bare marker of the same sentence:
# (text, [(surface, label)], outcome text, refs it must carry)
CLAUSE_MARKER_CASES = [
    ("阿仑膦酸钠可促进成骨分化[3]，并且雷奈酸锶能提高成骨细胞增殖率[4]。",
     [("阿仑膦酸钠", "INTERVENTION"), ("雷奈酸锶", "INTERVENTION")], "成骨细胞增殖率", ("4",)),
    ("Alendronate raised bone mass [3], and strontium ranelate improved bone strength [4].",
     [("Alendronate", "INTERVENTION"), ("strontium ranelate", "INTERVENTION")], "bone strength", ("4",)),
]
# fmt: on


@pytest.mark.parametrize("text,surfaces,outcome,refs", CLAUSE_MARKER_CASES)
def test_tuples_precision_clause_takes_the_marker_that_closes_it(extractor, make_doc, text, surfaces, outcome, refs):
    doc = _doc(extractor, make_doc, text, surfaces)
    found = {t.outcome_text: t.refs for t in doc.tuples}
    assert found.get(outcome) == refs, found



@pytest.mark.parametrize("text,surfaces,expected", MODEL_CONTRAST_CASES)
def test_tuples_precision_model_versus_sham_is_the_exposure(extractor, make_doc, text, surfaces, expected):
    doc = _doc(extractor, make_doc, text, surfaces)
    found = [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]
    assert any(i == expected[0] and expected[1] in o and d == expected[2] for i, o, d in found), found


@pytest.mark.parametrize("text,surfaces,outcome", CONTROL_ARM_CASES)
def test_tuples_precision_control_arm_observation_is_no_effect(extractor, make_doc, text, surfaces, outcome):
    doc = _doc(extractor, make_doc, text, surfaces)
    assert all(outcome not in t.outcome_text for t in doc.tuples), [(t.intervention_text, t.outcome_text) for t in doc.tuples]


@pytest.mark.parametrize("text,surfaces,outcome", CONTROL_BASELINE_CASES)
def test_tuples_precision_control_arm_as_baseline_is_kept(extractor, make_doc, text, surfaces, outcome):
    doc = _doc(extractor, make_doc, text, surfaces)
    assert any(outcome in t.outcome_text for t in doc.tuples), [(t.intervention_text, t.outcome_text) for t in doc.tuples]


@pytest.mark.parametrize("text,surfaces,outcome", AIM_CASES)
def test_tuples_precision_attempt_is_no_finding(extractor, make_doc, text, surfaces, outcome):
    assert _doc(extractor, make_doc, text, surfaces).tuples == ()
    stated = text.replace("试图", "")
    assert any(outcome in t.outcome_text for t in _doc(extractor, make_doc, stated, surfaces).tuples)
