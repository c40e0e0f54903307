"""Tests for pipeline/tuples.py across sentences and clause edges: pronoun subjects that refer to the
paragraph's topic, the existential 有 before a change cue, treatments received (接受…治疗), and the
English equivalents. All sentences are invented."""

from __future__ import annotations

import re

import pytest

from pipeline.rules import load_rules
from pipeline.tuples import TupleExtractor
from pipeline.types import Mention

# fmt: off
# (text, treatment mention surface (labelled INTERVENTION, or None), expected (refs, intervention substring,
# outcome text, direction) among the tuples)
DISCOURSE_CASES = [
    # a pronoun subject refers to the treatment that opens the paragraph
    ("褪黑素是一种松果体激素，主要在夜间分泌。它可以增加成骨细胞的数量[6]。", "褪黑素",
     (("6",), "褪黑素", "成骨细胞的数量", "increase")),
    ("Melatonin is a pineal hormone. It increased osteoblast number in aged rats [6].", "Melatonin",
     (("6",), "Melatonin", "osteoblast number", "increase")),
    # zero anaphora: a subjectless consequence clause continues the paragraph's topic
    ("脉冲电磁场是一种物理疗法。因此，可以改善骨微结构[26]。", "脉冲电磁场",
     (("26",), "脉冲电磁场", "骨微结构", "improve")),
    # the existential 有 before a change cue is part of the predicate
    ("钱某等[7]发现干细胞移植后腰椎骨密度有明显增加。", None, (("7",), "干细胞移植", "腰椎骨密度", "increase")),
    # a treatment received, closed by 治疗, carries over to the study's next sentence
    ("孙某等[8]的研究纳入20例患者。患者接受了水中步行治疗，12周后发现股骨骨密度明显升高。", None,
     (("8",), "水中步行治疗", "股骨骨密度", "increase")),
    # a degree adverb after the cue closes the predicate ('下降明显'): the NP before the cue is the outcome
    ("周某等[10]发现干细胞移植后大鼠血清 CTX 下降明显。", None, (("10",), "干细胞移植", "大鼠血清 CTX", "decrease")),
    # a subject whose abbreviation is defined in parentheses keeps its closing parenthesis
    ("甲状旁腺激素(parathyroid hormone，PTH)可以促进成骨细胞分化[11]。", None,
     (("11",), "甲状旁腺激素(parathyroid hormone，PTH)", "成骨细胞分化", "increase")),
    # a figure pointer after the outcome is not part of it
    ("吴某等[12]发现外泌体可以提高碱性磷酸酶活性（图2）。", None, (("12",), "外泌体", "碱性磷酸酶活性", "increase")),
    # a copula ends the subject: 'X是…' names X
    ("特立帕肽是目前常用的促骨形成药物，可以促进成骨细胞分化[13]。", None, (("13",), "特立帕肽", "成骨细胞分化", "increase")),
    # a cue that is a treatment head right before the modal belongs to the agent ('振动刺激可以…')
    ("振动刺激可以促进软骨细胞增殖[14]。", None, (("14",), "振动刺激", "软骨细胞增殖", "increase")),
    # a causative: the changed NP starts after 使
    ("郑某等[15]发现通过移植外泌体可以使大鼠的骨量恢复。", None, (("15",), "外泌体", "大鼠的骨量", "improve")),
    # 不仅/不但 are pseudo-negations: the change stands, and they leave the subject
    ("冯某等[19]发现外泌体不仅增加骨密度，而且降低骨吸收。", None, (("19",), "外泌体", "骨密度", "increase")),
    ("Ward et al. [20] found that exosomes not only increased bone density but also reduced resorption.", None,
     (("20",), "exosomes", "bone density", "increase")),
    # an object opening on 中 (中性粒细胞, 中枢) is a noun phrase
    ("卫某等[21]发现外泌体可以减少中性粒细胞浸润。", None, (("21",), "外泌体", "中性粒细胞浸润", "decrease")),
    # a cited trial's treated arm named by an abbreviation is the intervention, not the patients' condition
    ("蒋某等[22]将SCI患者分为WBV组和对照组，结果显示WBV组股骨骨密度明显高于对照组。", None,
     (("22",), "WBV", "股骨骨密度", "increase")),
    # '经过 X 的细胞': the cells were treated with X
    ("杨某等[23]发现经过PEMF处理的软骨细胞出现了明显的增殖。", None, (("23",), "PEMF", "明显的增殖", "increase")),
    # adverbs and connectives at the outcome's edges are not part of it; 显着 is a variant of 显著
    ("白某等[35]发现干细胞移植后ICP显着增加，而且神经传导速度也明显提高。", None,
     (("35",), "干细胞移植", "神经传导速度", "increase")),
    ("白某等[36]发现干细胞移植后ICP显着增加。", None, (("36",), "干细胞移植", "ICP", "increase")),
    # a copula ends a verb's object ('加速X是近年来…')
    ("应用微波加速骨折愈合是近年来的新方法[37]。", None, (("37",), "微波", "骨折愈合", "increase")),
]
# (text, treatment mention surface or None, outcome that must NOT appear with the given refs)
NO_DISCOURSE_CASES = [
    # a pronoun with no treatment topic in the paragraph names nothing
    ("目前病因不明。它可以增加骨折的风险[9]。", None, "骨折的风险"),
    # an adverb (or adverb + cue) opening a clause is no agent
    ("骨关节炎病程长，严重降低患者的生活质量[16]。", None, "生活质量"),
    # without a consequence connective, a subjectless clause does not take the topic
    ("脉冲电磁场是一种物理疗法。目前认为可以改善骨微结构[27]。", "脉冲电磁场", "骨微结构"),
    # a stated aim or question is no finding
    ("Given earlier reports [29], we examined whether vitamin K increases hip BMD in older women.", None, "hip BMD"),
    ("本研究旨在明确维生素K能否增加老年女性髋部骨密度[30]。", None, "髋部骨密度"),
    # a negated subject of a comparison names the untreated arm
    ("韩某等[25]发现没有经过刺激的细胞增殖明显低于刺激组。", None, "细胞增殖"),
]


def test_tuples_discourse_species_not_from_inside_a_drug_name(extractor, make_doc):
    text = "钱某等[17]发现淫羊藿苷可以促进成骨细胞分化。"
    s = text.index("淫羊藿苷")
    drug = Mention(s, s + 4, "淫羊藿苷", "INTERVENTION", "rule", None, "icariin", "淫羊藿苷")
    doc = extractor(make_doc(text, mentions=(drug,)))
    assert doc.tuples and all(t.species is None for t in doc.tuples), _rows(doc)
    rabbit = "钱某等[18]发现淫羊藿苷可以促进兔成骨细胞分化。"
    doc = extractor(make_doc(rabbit, mentions=(Mention(s, s + 4, "淫羊藿苷", "INTERVENTION", "rule", None,
                                                        "icariin", "淫羊藿苷"),)))
    assert {t.species for t in doc.tuples} == {"rabbit"}, _rows(doc)
# fmt: on


@pytest.fixture(scope="module")
def extractor(rules_dir):
    return TupleExtractor(load_rules(rules_dir))


def _mentions(text: str, surface: str | None) -> tuple[Mention, ...]:
    if surface is None:
        return ()
    s = text.index(surface)
    return (Mention(s, s + len(surface), surface, "INTERVENTION", "rule", None, surface, surface),)


def _rows(doc):
    return [(t.refs, t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]


@pytest.mark.parametrize("text,surface,expected", DISCOURSE_CASES)
def test_tuples_discourse_attribution(extractor, make_doc, text, surface, expected):
    refs, interv, outcome, direction = expected
    doc = extractor(make_doc(text, mentions=_mentions(text, surface)))
    assert any(t.refs == refs and interv in (t.intervention_text or "") and t.outcome_text == outcome
               and t.direction == direction for t in doc.tuples), _rows(doc)


@pytest.mark.parametrize("text,surface,outcome", NO_DISCOURSE_CASES)
def test_tuples_discourse_no_tuple(extractor, make_doc, text, surface, outcome):
    doc = extractor(make_doc(text, mentions=_mentions(text, surface)))
    assert not any(outcome in t.outcome_text for t in doc.tuples), _rows(doc)


# fmt: off
# English result sentences of a trial: (sentence, outcome, intervention, comparator, direction) as the
# Evidence Inference prompts ask it (the intervention's arm relative to the comparator's).
EN_TRIAL_DIRECTION_CASES = [
    # a degree word before a change verb is not the cue
    ("Serum CTX was more reduced in the zoledronate group (p<0.001).", "Serum CTX", "zoledronate", "placebo",
     "decrease"),
    # the one arm the sentence names is the comparator: the intervention changed the other way
    ("Increased wound infection was observed in group II (p=0.01).", "wound infection", "group I", "group II", "decrease"),
    # no cue word: two arm values and a significant p-value
    ("The mean operating time was 48 min in group A and 63 min in group B (p<0.05).", "operating time",
     "group A", "group B", "decrease"),
    ("Median pain score was 2 for the nerve block group and 5 for the opioid group (P=0.002).", "pain score",
     "opioid", "nerve block", "increase"),
]
# fmt: on


@pytest.mark.parametrize("sentence,outcome,intervention,comparator,direction", EN_TRIAL_DIRECTION_CASES)
def test_tuples_discourse_en_trial_direction(extractor, sentence, outcome, intervention, comparator, direction):
    from pipeline.tuples import english_direction

    assert english_direction(sentence, extractor, outcome, intervention, comparator) == direction


# fmt: off
# English result clauses whose comparative opens a noun phrase, or grades a noun cue: (clause, expected
# (outcome, direction) claims)
EN_COMPARATIVE_NP_CASES = [
    ("Fewer falls occurred in the balance training group (p=0.02)", [("falls", "decrease")]),
    ("There was significantly less vomiting (p=0.01) but more dizziness (p=0.03) in the opioid arm",
     [("vomiting", "decrease"), ("dizziness", "increase")]),
    ("a greater increase in serum P1NP was seen with teriparatide (p<0.001)", [("serum P1NP", "increase")]),
]
# fmt: on


@pytest.mark.parametrize("clause,expected", EN_COMPARATIVE_NP_CASES)
def test_tuples_discourse_en_comparative_noun_phrase(extractor, clause, expected):
    claims = extractor._en_clause_claims(clause, 0, len(clause))
    assert [(clause[c.start:c.end].strip(), c.direction) for c in claims] == expected


# fmt: off
# a bare abstract (title line, one paragraph, no headings): (title, paragraph, expected own-study
# (intervention substring, outcome, direction) or None when no self tuple may appear)
BARE_ABSTRACT_CASES = [
    ("A randomised trial of nasal calcitonin versus placebo after vertebral fracture",
     "Sixty patients were enrolled. There was significantly less back pain (P = 0.01) in the calcitonin arm. "
     "Fewer falls occurred in the calcitonin arm (P = 0.03).", ("calcitonin", "back pain", "decrease")),
    # no cue word: two arm values and a significant p-value (the non-control arm is the treatment)
    ("A randomised trial of warm irrigation fluid in arthroscopy",
     "Forty knees were enrolled. The mean operating time was 62 min in the control group and 48 min in the "
     "warm fluid group (P = 0.01).", ("warm fluid", "mean operating time", "decrease")),
    ("Vitamin D and falls in older adults",
     "This article reviews 40 trials. Vitamin D significantly reduced falls (P = 0.01) in several trials.", None),
    ("A review of vitamin D and falls",
     "We review 40 trials. Vitamin D reduced falls in older adults in several trials.", None),
]
# fmt: on


@pytest.mark.parametrize("title,paragraph,expected", BARE_ABSTRACT_CASES)
def test_tuples_discourse_bare_abstract_own_results(extractor, make_doc, title, paragraph, expected):
    from pipeline.types import Section

    text = f"{title}\n\n{paragraph}\n"
    body = text.index(paragraph)
    sections = (Section("title", title, 0, len(title)), Section("body", "", body, len(text)))
    spans = [(0, len(title))] + [(body + m.start(), body + m.end()) for m in re.finditer(r"\S.*?\.(?=\s+[A-Z]|\s*$)", paragraph)]
    doc = extractor(make_doc(text, sentences=spans, sections=sections))
    own = [(t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples if t.study_id == "self"]
    if expected is None:
        assert own == []
    else:
        interv, outcome, direction = expected
        assert any(interv in (i or "") and o == outcome and d == direction for i, o, d in own), own


# fmt: off
# a study carried over from an author cue, then a summary sentence: (text, outcome the summary states)
SUMMARY_BREAK_CASES = [
    ("张某等[5]将干细胞移植到大鼠体内。结果显示骨密度明显增加。以上研究表明干细胞可以增加骨量。", "骨量"),
    ("Smith et al. [5] transplanted MSCs into rats. BMD was markedly increased. "
     "Taken together, these studies indicate that MSCs increase bone mass.", "bone mass"),
]
# fmt: on


@pytest.mark.parametrize("text,summary_outcome", SUMMARY_BREAK_CASES)
def test_tuples_discourse_summary_sentence_ends_carried_study(extractor, make_doc, text, summary_outcome):
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S[^。]*?(?:。|\.(?=\s|$))", text)]
    doc = extractor(make_doc(text, sentences=spans))
    assert any(t.refs == ("5",) for t in doc.tuples), _rows(doc)  # the study's own sentence keeps it
    assert not any(summary_outcome in t.outcome_text for t in doc.tuples), _rows(doc)


# fmt: off
# (sentence, treatment named by '经/经过 X 的', or None when 经 is inside a word such as 神经)
ZH_TREATED_CASES = [
    ("发现经过PEMF处理的软骨细胞增殖加快。", "PEMF"),
    ("经 LIPUS 刺激后的骨髓干细胞成骨增强。", "LIPUS"),
    ("神经营养因子的分泌明显增加。", None),
    ("月经周期的紊乱会影响骨密度。", None),
]
# fmt: on


@pytest.mark.parametrize("sentence,treatment", ZH_TREATED_CASES)
def test_tuples_discourse_treated_with(extractor, make_doc, sentence, treatment):
    doc = make_doc(sentence)
    found = extractor._applied_intervention(doc.text, doc.sentences[0])
    assert (found[0] if found else None) == treatment


# fmt: off
# association statements: (clause, expected (outcome, direction, exposure) claims or [] when no direction)
ZH_ASSOCIATION_CASES = [
    ("刘某等[28]证实了去卵巢大鼠维生素D受体的下调与骨形成减少有关",
     [("骨形成", "decrease", "去卵巢大鼠维生素D受体的下调")]),
    ("该研究没有证实血清瘦素升高与骨密度有显著的关系", [("骨密度", "no_change", "血清瘦素升高")]),
    ("骨质疏松与年龄密切相关", []),  # an association without a change states no direction
]
# fmt: on


@pytest.mark.parametrize("clause,expected", ZH_ASSOCIATION_CASES)
def test_tuples_discourse_zh_association(extractor, clause, expected):
    claims = extractor._zh_clause_claims(clause, 0, len(clause))
    assert not any("与" in clause[c.start:c.end] for c in claims)  # no fragment runs into the association
    found = [(clause[c.start:c.end], c.direction, c.subject[0]) for c in claims if not c.carries]
    assert found == expected


# fmt: off
# effects stated as a noun, and cited titles in a review table: (clause, section, expected (outcome,
# direction, agent) claims)
ZH_EFFECT_CASES = [
    ("槲皮素对破骨细胞分化有明显的抑制作用", "body", [("破骨细胞分化", "decrease", "槲皮素")]),
    ("维生素C作为抗氧化剂对软骨细胞氧化损伤有很好的保护作用", "body", [("软骨细胞氧化损伤", "improve", "维生素C")]),
    ("骨髓干细胞来源的外泌体通过调节巨噬细胞极化发挥显著的骨保护作用", "table_row",
     [("骨保护作用", "improve", "骨髓干细胞来源的外泌体")]),
    ("牙髓干细胞外泌体治疗糖尿病大鼠牙周炎 ^[7]", "table_row", [("糖尿病大鼠牙周炎", "improve", "牙髓干细胞外泌体")]),
    ("干细胞具有低免疫原性和免疫抑制作用", "body", []),  # a property, not a change
    ("牙髓干细胞外泌体治疗糖尿病大鼠牙周炎", "body", []),  # 'X治疗Y' is a title form only in table rows
]
# fmt: on


@pytest.mark.parametrize("clause,section,expected", ZH_EFFECT_CASES)
def test_tuples_discourse_zh_effect_nouns(extractor, clause, section, expected):
    from pipeline.types import Sentence

    claims = extractor._sentence_claims(clause, Sentence(0, 0, len(clause), "zh", section, clause), [])
    found = [(clause[c.start:c.end], c.direction, c.subject[0] if c.subject else None) for c in claims]
    assert found == expected


# fmt: off
# English cited claims with coordinated verbs and objects: (sentence, expected (refs, intervention, outcome,
# direction) rows, all of which must appear)
EN_COORDINATION_CASES = [
    ("Kim et al. [31] reported that local MSCs promoted callus formation and attenuated bone loss in aged rats.",
     [(("31",), "local MSCs", "callus formation", "increase"), (("31",), "local MSCs", "bone loss", "decrease")]),
    ("Intra-articular injection of ADSCs reduced pain and improved function in knee osteoarthritis [32].",
     [(("32",), "ADSCs", "pain", "decrease"), (("32",), "ADSCs", "function", "improve")]),
    ("Tan et al. [33] demonstrated that the exosomes reduced the expression of MMP3 and ADAMTS4.",
     [(("33",), "the exosomes", "expression of MMP3", "decrease"), (("33",), "the exosomes", "ADAMTS4", "decrease")]),
    ("Swimming has been shown to increase femoral bone strength in young rats [34].",
     [(("34",), "Swimming", "femoral bone strength", "increase")]),
    # reversal and blocking verbs
    ("Ortiz et al. [38] showed that BMP-2 rescued bone formation and blocked osteoclast fusion in aged mice.",
     [(("38",), "BMP-2", "bone formation", "improve"), (("38",), "BMP-2", "osteoclast fusion", "decrease")]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", EN_COORDINATION_CASES)
def test_tuples_discourse_en_coordinated_verbs_and_objects(extractor, make_doc, text, expected):
    doc = extractor(make_doc(text, sentences=[(0, len(text))]))
    rows = [(t.refs, t.intervention_text, t.outcome_text, t.direction) for t in doc.tuples]
    assert all(row in rows for row in expected), rows


# fmt: off
# a study opened by an author cue, then a paragraph break: (text, refs expected on the second paragraph's
# claim, or None when the claim must not get the study)
PARAGRAPH_CARRY_CASES = [
    ("为此，孔某等[40]进行了一系列动物实验。\n\n他们将标记的干细胞移植给小鼠，发现阳性细胞的比例为 95%。", ("40",)),
    ("To answer this, Park et al. [41] ran a series of mouse studies.\n\nThey found that grafted cells increased "
     "trabecular number.", ("41",)),
    ("为此，孔某等[40]进行了一系列动物实验。\n\n此外，干细胞移植后阳性细胞的比例为 95%。", None),
]
# fmt: on


@pytest.mark.parametrize("text,refs", PARAGRAPH_CARRY_CASES)
def test_tuples_discourse_referring_cue_carries_over_paragraph(extractor, make_doc, text, refs):
    # a hard-wrapped layout (single line breaks inside paragraphs) so that the blank line is a paragraph
    first, second = text.split("\n\n")
    text = f"{first}\n\n{second}\n" + "\n".join(["x"] * 6)
    split = len(first)
    doc = extractor(make_doc(text, sentences=[(0, split), (split + 2, split + 2 + len(second))]))
    second = [t for t in doc.tuples if t.sent_id == 1]
    if refs is None:
        assert second == [], _rows(doc)
    else:
        assert second and all(t.refs == refs for t in second), _rows(doc)


def test_tuples_discourse_effect_noun_in_an_aim_is_no_claim(extractor, make_doc):
    text = "马某等[42]探讨了基因修饰干细胞对兔股骨头坏死的治疗作用。"
    assert extractor(make_doc(text)).tuples == ()


def test_tuples_discourse_outcome_concept_is_never_the_interventions(extractor, make_doc):
    text = "石某等[43]发现使用干细胞移植治疗的患者临床评分明显升高。"
    a, b = text.index("干细胞移植"), text.index("临床评分")
    mentions = (Mention(a, a + 5, "干细胞移植", "INTERVENTION", "rule", "C_SCT", "stem cell transplantation", "干细胞移植"),
                Mention(b, b + 4, "临床评分", "OUTCOME", "rule", "C_SCORE", "clinical score", "临床评分"))
    doc = extractor(make_doc(text, mentions=mentions))
    assert doc.tuples and all(t.intervention_id != t.outcome_id for t in doc.tuples), _rows(doc)
    assert any(t.outcome_id == "C_SCORE" for t in doc.tuples), _rows(doc)


# fmt: off
# (candidate agent, cleaned agent): the edges a cut leaves ('的', '因为', '…就', '…应该')
AGENT_EDGE_CASES = [
    ("的 MSCs", "MSCs"),
    ("因为急性损伤后不久就", "急性损伤后不久"),
    ("骨吸收的增强应该", "骨吸收的增强"),
    ("等将由ADSCs经", "ADSCs"),  # an author cue's 等 and the 将/由/经 frame around the agent
    ("损伤的坐骨神经", "损伤的坐骨神经"),  # 经 inside 神经 stays
    ("脂肪干细胞", "脂肪干细胞"),  # nothing to strip
]
# fmt: on


@pytest.mark.parametrize("agent,cleaned", AGENT_EDGE_CASES)
def test_tuples_discourse_agent_edges(agent, cleaned):
    from pipeline.tuples import _clean_agent

    phrase, s, e = _clean_agent((agent, 10, 10 + len(agent)))
    assert phrase == cleaned and e - s == len(cleaned) and agent[s - 10:e - 10] == cleaned
