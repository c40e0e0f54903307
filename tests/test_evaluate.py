"""Scoring rules of shared/gold/README.md, pinned on small hand-made cases."""

from __future__ import annotations

import json

import pytest

from pipeline import evaluate as ev
from pipeline import export

# fmt: off
ABBREVIATION_CASES = [
    # (predicted, gold, matches)
    ({"short": "OVX", "long_en": "ovariectomy", "long_zh": None}, {"short": "OVX", "long_en": "Ovariectomy", "long_zh": "去卵巢"}, True),
    ({"short": "BM-MSCs", "long_en": "bone marrow mesenchymal stem cells", "long_zh": None},
     {"short": "BMMSCs", "long_en": "bone marrow-mesenchymal stem cells", "long_zh": None}, True),
    ({"short": "SP", "long_en": None, "long_zh": "P 物质"}, {"short": "SP", "long_en": None, "long_zh": "P物质"}, True),
    ({"short": "SP", "long_en": None, "long_zh": "P物质"}, {"short": "SP", "long_en": "substance P", "long_zh": None}, False),
    ({"short": "OP", "long_en": "osteoporosis", "long_zh": None}, {"short": "OPG", "long_en": "osteoporosis", "long_zh": None}, False),
]
TUPLE_CASES = [
    # (predicted, matches the gold tuple below)
    ({"refs": "31", "outcome": "bone mineral density", "outcome_text": "骨密度", "intervention": "adipose-derived MSCs",
      "intervention_text": "脂肪源性MSCs", "direction": "increase"}, True),
    ({"refs": "30;31", "outcome": None, "outcome_text": "腰椎骨密度", "intervention": None,
      "intervention_text": "移植脂肪源性MSCs", "direction": "improve"}, True),   # containment either way, any ref overlaps
    ({"refs": "32", "outcome": "bone mineral density", "outcome_text": "骨密度", "intervention": "adipose-derived MSCs",
      "intervention_text": "脂肪源性MSCs", "direction": "increase"}, False),  # other study
    ({"refs": "31", "outcome": "bone mineral density", "outcome_text": "骨密度", "intervention": "adipose-derived MSCs",
      "intervention_text": "脂肪源性MSCs", "direction": "decrease"}, False),  # wrong direction
    ({"refs": "31", "outcome": "serum calcium", "outcome_text": "血钙", "intervention": "adipose-derived MSCs",
      "intervention_text": "脂肪源性MSCs", "direction": "increase"}, False),  # other outcome
    ({"refs": "31", "outcome": "", "outcome_text": "", "intervention": "ADSCs",
      "intervention_text": "ADSCs", "direction": "increase"}, False),  # an empty outcome never matches
]
GOLD_TUPLE = {"refs": ["31"], "intervention": ["脂肪源性MSCs", "adipose-derived MSCs", "ADSCs"],
              "outcome": ["骨密度", "bone mineral density", "BMD"], "direction": ["increase", "improve"]}
# fmt: on


@pytest.mark.parametrize("pred,gold,matches", ABBREVIATION_CASES)
def test_evaluate_abbreviation_matching_ignores_case_spaces_hyphens(pred, gold, matches):
    assert ev._abbr_matches(pred, gold) is matches


@pytest.mark.parametrize("pred,matches", TUPLE_CASES)
def test_evaluate_tuple_matching_rule(pred, matches):
    assert ev.tuple_matches(pred, GOLD_TUPLE) is matches


def test_evaluate_tuple_precision_recall_counts():
    preds = [case for case, _ in TUPLE_CASES]
    c = ev.score_tuples(preds, [GOLD_TUPLE, {**GOLD_TUPLE, "refs": ["99"]}])
    s = c.scores()
    assert (s["n_pred"], s["n_gold"]) == (6, 2)
    assert s["precision"] == pytest.approx(2 / 6, abs=1e-4)
    assert s["recall"] == pytest.approx(1 / 2)


def test_evaluate_bcubed_concept_groups():
    groups = [{"name": "msc", "aliases": ["MSCs", "间充质干细胞", "mesenchymal stem cells"]},
              {"name": "op", "aliases": ["OP", "骨质疏松"]}]
    # MSC aliases split into two ids; OP aliases merged with one MSC alias; one alias never found.
    mentions = [{"text": "MSCs", "concept_id": "C1"}, {"text": "msc s", "concept_id": "C9"},
                {"text": "间充质干细胞", "concept_id": "C2"}, {"text": "OP", "concept_id": "C2"},
                {"text": "Mesenchymal Stem Cells", "concept_id": None}]
    c, detail = ev.score_concept_groups(mentions, groups)
    assert detail == {"aliases": 5, "aliases_found": 3}
    # items: MSCs->C1, 间充质干细胞->C2, mesenchymal->unlinked, OP->C2, 骨质疏松->unlinked
    # precision: 1 + 1/2 + 1 + 1/2 + 1 = 4 ; recall: 1/3 + 1/3 + 1/3 + 1/2 + 1/2 = 2
    assert c.tp_pred == pytest.approx(4.0)
    assert c.tp_gold == pytest.approx(2.0)
    perfect = [{"text": a, "concept_id": g["name"]} for g in groups for a in g["aliases"]]
    c2, _ = ev.score_concept_groups(perfect, groups)
    assert c2.scores()["f1"] == 1.0


def test_evaluate_run_reads_tables_and_gold_files(tmp_path):
    run = tmp_path / "run"
    rows = {name: [] for name in export.TABLES}
    rows["documents"].append({"doc_id": "p1", "status": "ok"})
    rows["abbreviations"].append({"doc_id": "p1", "short": "OVX", "long_en": "ovariectomy", "long_zh": "去卵巢"})
    rows["tuples"].append({"doc_id": "p1", **TUPLE_CASES[0][0]})
    export.write_tables(run, rows)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "p1.json").write_text(json.dumps({
        "doc": "p1", "abbreviations": [{"short": "OVX", "long_en": "ovariectomy", "long_zh": None},
                                       {"short": "BMD", "long_en": "bone mineral density", "long_zh": None}],
        "concept_groups": [], "tuples": [GOLD_TUPLE]}), encoding="utf-8")
    scores = ev.evaluate_run(run, [gold])
    assert scores["micro"]["abbreviations"]["precision"] == 1.0
    assert scores["micro"]["abbreviations"]["recall"] == 0.5
    assert scores["micro"]["tuples"]["f1"] == 1.0
    assert "MICRO" in ev.format_scores(scores)
