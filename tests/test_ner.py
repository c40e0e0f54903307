"""Tests for pipeline/ner.py (the model stage) and pipeline/train_ner.py (training it)."""

from __future__ import annotations

import json
import random

import pytest

from pipeline import ner
from pipeline.config import DEFAULT_NER_MODEL, Config
from pipeline.rules import load_rules
from pipeline.types import Mention, Section

# fmt: off
# (text, subword pieces as (start, end, tag), expected spans as (surface, label))
DECODE_CASES = [
    # Chinese: one subword per character, B then I.
    ("骨髓间充质干细胞促进成骨",
     [(0, 1, "B-CELL"), (1, 2, "I-CELL"), (2, 3, "I-CELL"), (3, 4, "I-CELL"), (4, 5, "I-CELL"),
      (5, 6, "I-CELL"), (6, 7, "I-CELL"), (7, 8, "I-CELL"), (8, 9, "O"), (9, 10, "O")],
     [("骨髓间充质干细胞", "CELL")]),
    # English: a span that stops inside a word ("MSC" of "MSCs") is widened to the word.
    ("MSCs raised BMD",
     [(0, 3, "B-CELL"), (3, 4, "O"), (5, 11, "O"), (12, 14, "B-OUTCOME"), (14, 15, "I-OUTCOME")],
     [("MSCs", "CELL"), ("BMD", "OUTCOME")]),
    # A stray I- tag opens a span (lenient BIO); a label change closes the previous one.
    ("去卵巢大鼠",
     [(0, 1, "I-MODEL"), (1, 2, "I-MODEL"), (2, 3, "I-MODEL"), (3, 4, "B-SPECIES"), (4, 5, "I-SPECIES")],
     [("去卵巢", "MODEL"), ("大鼠", "SPECIES")]),
    # Two adjacent B- tags of one label are two mentions; single characters are dropped.
    ("rats and mice",
     [(0, 4, "B-SPECIES"), (5, 8, "O"), (9, 13, "B-SPECIES")],
     [("rats", "SPECIES"), ("mice", "SPECIES")]),
    ("用药", [(0, 1, "B-INTERVENTION"), (1, 2, "O")], []),
]
# (number of subwords, window size, overlap)
WINDOW_CASES = [(10, 254, 64), (254, 254, 64), (255, 254, 64), (1000, 254, 64), (5000, 100, 30)]
# fmt: on

# Our own mini rule tables for the training test (domain knowledge: MeSH / textbook terms).
MINI_CONCEPTS = """concept_id\ttype\tpreferred_en\tpreferred_zh\tsource
C_MSC\tcell\tmesenchymal stem cells\t间充质干细胞\tMeSH:Mesenchymal Stem Cells
C_OSTEOBLAST\tcell\tosteoblasts\t成骨细胞\tMeSH:Osteoblasts
C_OP\tdisease\tosteoporosis\t骨质疏松症\tMeSH:Osteoporosis
C_RAT\tspecies\trats\t大鼠\tMeSH:Rats
C_BMD\toutcome\tbone mineral density\t骨密度\tMeSH:Bone Density
"""
MINI_ALIASES = """concept_id\talias\tlang\tsource
C_MSC\tMSCs\tabbr\tMeSH:Mesenchymal Stem Cells
C_OP\t骨质疏松\tzh\t中华医学会骨质疏松诊疗指南
C_BMD\tBMD\tabbr\tMeSH:Bone Density
"""
# fmt: off
# Sentences written for these tests (not taken from any paper).
MINI_CORPUS = [
    "间充质干细胞移植可提高骨质疏松大鼠的骨密度。",
    "Mesenchymal stem cells increased bone mineral density (BMD) in osteoporosis rats.",
    "成骨细胞的分化在骨质疏松症中受到抑制。",
    "Osteoblasts from rats were cultured with MSCs, and BMD rose after 8 weeks.",
    "本研究观察了大鼠间充质干细胞对骨密度的影响。",
    "Transplanted MSCs homed to the femur of osteoporosis rats.",
]
SILVER_CASES = [
    # Short forms not in the tables take the label of the long form the paper gives them.
    ("成骨细胞（OBs）促进骨形成，OBs 数量增加。", [("成骨细胞", "CELL"), ("OBs", "CELL"), ("OBs", "CELL")]),
    ("Osteoblasts (OBs) were counted; OBs rose in rats.",
     [("Osteoblasts", "CELL"), ("OBs", "CELL"), ("OBs", "CELL"), ("rats", "SPECIES")]),
    ("间充质干细胞（MSCs）可提高骨密度，MSCs 归巢至骨髓。",
     [("间充质干细胞", "CELL"), ("MSCs", "CELL"), ("骨密度", "OUTCOME"), ("MSCs", "CELL")]),
    ("Bone mineral density (BMD) fell in rats; BMD was measured by DXA.",
     [("Bone mineral density", "OUTCOME"), ("BMD", "OUTCOME"), ("rats", "SPECIES"), ("BMD", "OUTCOME")]),
]
# fmt: on


@pytest.fixture
def mini_rules(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "concepts.tsv").write_text(MINI_CONCEPTS, encoding="utf-8")
    (folder / "aliases.tsv").write_text(MINI_ALIASES, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text,pieces,expected", DECODE_CASES)
def test_ner_decode_spans_joins_bio_tags(text, pieces, expected):
    tags = [t for _, _, t in pieces]
    offsets = [(s, e) for s, e, _ in pieces]
    spans = ner.decode_spans(tags, [0.9] * len(tags), offsets, text)
    assert [(text[s.start:s.end], s.label) for s in spans] == expected


def test_ner_decode_spans_drops_low_scores():
    spans = ner.decode_spans(["B-DISEASE", "I-DISEASE"], [0.3, 0.4], [(0, 2), (2, 4)], "骨质疏松")
    assert spans == []


@pytest.mark.parametrize("n,size,overlap", WINDOW_CASES)
def test_ner_window_starts_cover_every_token_with_overlap(n, size, overlap):
    starts = ner.window_starts(n, size, overlap)
    covered = set()
    for s in starts:
        covered |= set(range(s, min(n, s + size)))
    assert covered == set(range(n))
    assert starts[-1] + min(size, n) == n
    assert all(b - a <= size - overlap for a, b in zip(starts, starts[1:]))


def test_ner_text_regions_skip_reference_list(make_doc):
    text = "摘要 间充质干细胞。\n参考文献\n[1] 王某. 骨质疏松. 2020.\n"
    ref_start = text.index("参考文献")
    doc = make_doc(text, sections=(Section("references", "参考文献", ref_start, len(text)),))
    assert ner.text_regions(doc) == [(0, ref_start)]


def test_ner_read_label_map_strips_prefixes(tmp_path):
    path = tmp_path / "map.tsv"
    path.write_text("# comment\nmodel_label\tour_label\nB-Disease\tDISEASE\nChemical\tintervention\nMISC\tO\n",
                    encoding="utf-8")
    assert ner.read_label_map(path) == {"Disease": "DISEASE", "Chemical": "INTERVENTION", "MISC": ""}


def test_ner_build_without_model_says_how_to_get_one(tmp_path):
    with pytest.raises(ner.NerModelMissing, match="train-ner.*--no-ner"):
        ner.build(Config(ner_model=tmp_path / "absent"))


@pytest.mark.parametrize("text,expected", SILVER_CASES)
def test_train_ner_silver_spans_label_defined_short_forms(mini_rules, text, expected):
    from pipeline import train_ner as tn

    rules = load_rules(mini_rules)
    spans = tn.silver_spans(text, tn.make_matcher(rules), rules)
    assert [(text[s.start:s.end], s.label) for s in spans] == expected


def test_train_ner_silver_spans_leave_out_held_out_concepts(mini_rules):
    from pipeline import train_ner as tn

    rules = load_rules(mini_rules)
    text = "骨质疏松大鼠的骨密度降低。"
    spans = tn.silver_spans(text, tn.make_matcher(rules, exclude_concepts={"C_OP"}), rules)
    assert [text[s.start:s.end] for s in spans] == ["大鼠", "骨密度"]


def test_train_ner_augment_keeps_spans_on_the_new_surface():
    from pipeline import train_ner as tn

    pools = tn.SurfacePools({"CELL": {"成骨细胞", "osteoclasts", "BMSCs"}, "OUTCOME": {"骨密度", "BMD"}},
                            "间充质干细胞成骨分化")
    text = "BMSCs 与成骨细胞共培养后 bone mineral density 升高。"
    spans = [tn.SilverSpan(text.index(form), text.index(form) + len(form), label, "C")
             for form, label in (("BMSCs", "CELL"), ("成骨细胞", "CELL"), ("bone mineral density", "OUTCOME"))]
    args = tn.FinetuneArgs(swap_prob=0.4, synth_prob=0.4, case_prob=0.5)
    rng = random.Random(0)
    changed = 0
    for _ in range(50):
        out = tn.augment(tn.Passage(text, spans), pools, args, rng)
        assert [s.label for s in out.spans] == ["CELL", "CELL", "OUTCOME"]
        assert out.text.endswith("升高。")
        changed += out.text != text
        for s in out.spans:
            assert out.text[s.start:s.end].strip() == out.text[s.start:s.end] != ""
    assert changed > 25


@pytest.mark.slow
@pytest.mark.parametrize("partial", [False, True])
def test_train_ner_tiny_run_writes_a_loadable_model(tmp_path, mini_rules, make_doc, partial):
    pytest.importorskip("torch")
    from safetensors import safe_open

    from pipeline import train_ner as tn

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(0, len(MINI_CORPUS), 2):
        (corpus / f"doc{i}.txt").write_text("\n".join(MINI_CORPUS[i:i + 2]) * 3, encoding="utf-8")
    out = tmp_path / "ner-tiny"
    args = tn.TrainArgs.tiny()
    args.finetune.partial = partial
    summary = tn.train(out, corpus=[corpus], tiny=True, rules_dir=mini_rules, args=args, log=lambda msg: None)
    assert isinstance(summary, str) and "min" in summary
    meta = json.loads((out / "ner_meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "ner-tiny" and (meta["silver"]["taught_o_share"] < 1.0) == partial
    for name in ("config.json", "model.safetensors", "tokenizer.json", "label_map.tsv", "MODEL_CARD.md"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*.bin")) and not list(out.glob("*.pt"))  # no pickles
    with safe_open(out / "model.safetensors", "pt") as handle:
        assert any(k.startswith("classifier") for k in handle.keys())

    stage = ner.build(Config(ner_model=out))
    text = "间充质干细胞移植提高了大鼠骨密度。MSCs increased BMD in rats. " * 40  # longer than one window
    doc = stage(make_doc(text, mentions=(Mention(0, 6, "间充质干细胞", "CELL", "rule"),)))
    assert doc.mentions[0].source == "rule"
    for m in doc.mentions[1:]:
        assert m.source == "model" and m.text == text[m.start:m.end] and 0.0 <= m.score <= 1.0
        assert m.label in tn.LABELS


# fmt: off
SHIPPED_MODEL_CASES = [
    "骨髓间充质干细胞移植可提高去卵巢大鼠的骨密度，并上调RUNX2的表达。",
    "Bone marrow mesenchymal stem cells increased bone mineral density and RUNX2 expression in ovariectomized rats.",
]
# fmt: on


@pytest.mark.slow
@pytest.mark.parametrize("text", SHIPPED_MODEL_CASES)
def test_ner_shipped_model_tags_terms_with_offsets(make_doc, text):
    if not (DEFAULT_NER_MODEL / "config.json").is_file():
        pytest.skip("models/ner-zh-en-v1 is not built (python cli.py train-ner)")
    stage = ner.build(Config())
    doc = stage(make_doc(text))
    assert doc.mentions, "no term found in a sentence made of common biomedical terms"
    for m in doc.mentions:
        assert m.source == "model" and m.text == text[m.start:m.end] and m.label in ner.NER_LABELS
        assert m.sent_id == 0
