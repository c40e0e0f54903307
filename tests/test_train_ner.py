"""Tests for pipeline/train_ner.py: partial annotation and whole-word masking."""

from __future__ import annotations

import random

import pytest

from pipeline import train_ner as tn

# Known (held-in) names of a small table, written for these tests (MeSH / textbook terms).
KNOWN_NAMES = ["间充质干细胞", "成骨细胞", "骨密度", "放射治疗", "效应T细胞", "mesenchymal stem cells", "bone mineral density", "MSCs"]
# General and biomedical prose written for these tests: 研究 is frequent in both, 疗效 only in
# the biomedical documents.
GENERAL_TEXTS = ["本研究提出一种新的控制方法。", "研究结果表明该材料强度提高。", "实验研究了温度的影响。"]
DOMAIN_TEXTS = ["研究表明该药物疗效良好。", "疗效评价采用评分。", "患者疗效显著。"]

# fmt: off
# (text, substrings that must be taught as O, substrings that must stay unknown)
CONFIDENT_O_CASES = [
    # Function words and punctuation are O; an unknown word ending in an entity head (细胞) is not.
    ("本研究观察了骨密度的变化，以及软骨细胞的增殖。", ["本研究", "的", "，"], ["软骨细胞"]),
    # A biomedical word frequent only in biomedical text (疗效) is never a general word.
    ("研究结果表明疗效良好。", ["研究"], ["疗效"]),
    # English: stop words and numbers are O; capitalised or alphanumeric unknowns stay unknown.
    ("The levels of RUNX2 and IL-6 were measured in 24 rats.", ["The", "of", "and", "24"],
     ["RUNX2", "IL-6", "rats"]),
    ("Results showed that chondrocytes proliferated.", ["that"], ["chondrocytes"]),
]
# fmt: on


@pytest.fixture(scope="module")
def lexicon():
    return tn.build_o_lexicon(KNOWN_NAMES, GENERAL_TEXTS, DOMAIN_TEXTS)


@pytest.mark.parametrize("text,taught_o,unknown", CONFIDENT_O_CASES)
def test_train_ner_confident_o_marks_only_safe_text(lexicon, text, taught_o, unknown):
    flags = tn.confident_o(text, lexicon)
    assert len(flags) == len(text)
    for sub in taught_o:
        i = text.index(sub)
        assert all(flags[i:i + len(sub)]), f"{sub!r} should be O"
    for sub in unknown:
        i = text.index(sub)
        assert not any(flags[i:i + len(sub)]), f"{sub!r} should stay unknown"


def test_train_ner_lexicon_keeps_general_words_of_known_names_out():
    # "density" is a general word only until a known name uses it.
    assert "levels" in tn.build_o_lexicon([]).en_words
    assert "levels" not in tn.build_o_lexicon(["serum levels"]).en_words


class _CharTokenizer:
    """Each non-blank character one subword, with [CLS]=1/[SEP]=2 around (enough for encode_passage)."""

    def __call__(self, text, truncation=True, max_length=128, return_offsets_mapping=True):
        offsets = [(i, i + 1) for i, c in enumerate(text) if not c.isspace()][:max_length - 2]
        return {"input_ids": [1, *(10 + i for i in range(len(offsets))), 2],
                "offset_mapping": [(0, 0), *offsets, (0, 0)]}


def test_train_ner_encode_passage_leaves_unknown_text_out_of_the_loss(lexicon):
    text = "软骨细胞与成骨细胞的变化"
    start = text.index("成骨细胞")
    span = tn.SilverSpan(start, start + 4, "CELL", "C_OB")
    passage = tn.Passage(text, [span], bytes(tn.confident_o(text, lexicon)))
    tag_ids = {t: i for i, t in enumerate(tn.TAGS)}
    _, labels = tn.encode_passage(passage, _CharTokenizer(), 64, tag_ids)
    labels = labels[1:-1]
    assert labels[:4] == [-100] * 4  # 软骨细胞: unknown, not O
    assert labels[start:start + 4] == [tag_ids["B-CELL"]] + [tag_ids["I-CELL"]] * 3
    assert labels[text.index("的")] == tag_ids["O"]
    # Without flags (partial annotation off) every unlabelled character is O.
    _, full = tn.encode_passage(tn.Passage(text, [span]), _CharTokenizer(), 64, tag_ids)
    assert full[1:5] == [tag_ids["O"]] * 4


def test_train_ner_encode_passage_marks_unknown_text_for_a_soft_o(lexicon):
    # finetune passes UNKNOWN when FinetuneArgs.unknown_weight > 0: the same subwords that
    # partial annotation leaves out get the sentinel instead, the rest is unchanged.
    text = "软骨细胞与成骨细胞的变化"
    start = text.index("成骨细胞")
    passage = tn.Passage(text, [tn.SilverSpan(start, start + 4, "CELL", "C_OB")], bytes(tn.confident_o(text, lexicon)))
    tag_ids = {t: i for i, t in enumerate(tn.TAGS)}
    _, hard = tn.encode_passage(passage, _CharTokenizer(), 64, tag_ids)
    _, soft = tn.encode_passage(passage, _CharTokenizer(), 64, tag_ids, tn.UNKNOWN)
    assert soft[1:5] == [tn.UNKNOWN] * 4
    assert [h for h, s in zip(hard, soft) if s != tn.UNKNOWN] == [s for s in soft if s != tn.UNKNOWN]
    assert [h for h, s in zip(hard, soft) if s == tn.UNKNOWN] == [-100] * soft.count(tn.UNKNOWN)


def test_train_ner_augment_carries_o_flags_past_new_surfaces(lexicon):
    pools = tn.SurfacePools({"CELL": {"成骨细胞", "破骨前体细胞"}}, "间充质干细胞")
    text = "成骨细胞的数量增加。"
    passage = tn.Passage(text, [tn.SilverSpan(0, 4, "CELL", "C")], bytes(tn.confident_o(text, lexicon)))
    rng = random.Random(1)
    for _ in range(30):
        out = tn.augment(passage, pools, tn.FinetuneArgs(swap_prob=0.5, synth_prob=0.5), rng)
        assert len(out.known_o) == len(out.text)
        tail = out.text.index("的数量")
        assert out.known_o[tail:] == passage.known_o[4:]


# fmt: off
# (token ids, CJK ids, continuation ids, expected units that are masked all-or-nothing)
MASK_CASES = [
    # "osteo ##blast ##s" is one word; 骨 髓 细 胞 are CJK characters.
    ([5, 6, 7, 20, 21, 22, 23], {20, 21, 22, 23}, {6, 7}, [(0, 3)]),
    ([5, 6, 8, 9, 10], set(), {6, 10}, [(0, 2), (3, 5)]),
]
# fmt: on


@pytest.mark.parametrize("row,cjk,cont,units", MASK_CASES)
def test_train_ner_whole_word_mask_masks_words_together(row, cjk, cont, units):
    pytest.importorskip("torch")
    rng = random.Random(3)
    masked_any = 0
    for _ in range(200):
        chosen = tn.whole_word_mask([row], cont, cjk, 0.5, 3, rng, (1, len(row) + 2))[0, 1:len(row) + 1].tolist()
        masked_any += any(chosen)
        for s, e in units:
            assert len(set(chosen[s:e])) == 1, (row, chosen)
        assert not tn.whole_word_mask([row], cont, cjk, 0.0, 3, rng, (1, len(row) + 2)).any()
    assert masked_any > 100


# fmt: off
# (text, a bare head or author name taught as O, a compound that stays unknown)
GENERIC_HEAD_CASES = [
    ("移植后，细胞的数量增加，干细胞归巢。", "细胞", "干细胞"),
    ("各组均接受治疗，放射治疗组更优。", "治疗", "放射治疗"),
    ("As Zhang et al reported, Wnt3a rose.", "Zhang", "Wnt3a"),
]
# fmt: on


@pytest.mark.parametrize("text,bare,compound", GENERIC_HEAD_CASES)
def test_train_ner_confident_o_teaches_bare_heads_not_compounds(lexicon, text, bare, compound):
    flags = tn.confident_o(text, lexicon)
    i = text.index(bare)
    assert all(flags[i:i + len(bare)])
    j = text.index(compound)
    assert not all(flags[j:j + len(compound)])


# fmt: off
# Sentences written for this test: two species words used alike, a measure used elsewhere.
# (sentence template, word pair that share contexts, word that never shares them)
PPMI_CASES = [
    (["给予{}移植细胞", "{}骨密度升高", "雄性{}随机分组"], ("大鼠", "小鼠"), "骨密度"),
    (["{} were randomised", "male {} received cells", "{} bone density rose"], ("rats", "mice"), "density"),
]
# fmt: on


@pytest.mark.parametrize("templates,alike,other", PPMI_CASES)
def test_train_ner_cooccurrence_embeddings_put_words_used_alike_close(templates, alike, other):
    torch = pytest.importorskip("torch")
    # Word-level ids over the test sentences: each template filled with each alike word.
    sentences = [t.format(w) for t in templates for w in alike] * 20
    vocab: dict[str, int] = {}
    stream: list[int] = []
    for sent in sentences:
        words = list(sent) if tn.CJK.search(sent) else sent.split()
        merged, i = [], 0
        while i < len(words):  # keep the alike words and `other` whole (one id each)
            for w in (*alike, other):
                piece = words[i:i + len(w)] if tn.CJK.search(w) else words[i:i + 1]
                if "".join(piece) == w:
                    merged.append(w)
                    i += len(piece)
                    break
            else:
                merged.append(words[i])
                i += 1
        stream += [vocab.setdefault(w, len(vocab) + 5) for w in merged] + [3]
    vectors = tn.cooccurrence_embeddings(stream, len(vocab) + 5, 8, 2, {0, 1, 2, 3, 4})
    assert vectors.shape == (len(vocab) + 5, 8)
    cos = torch.nn.functional.cosine_similarity
    a, b, c = (vectors[vocab[w]] for w in (*alike, other))
    # Neighbours across sentence ends differ a little, so "alike" is relative, not identical.
    assert cos(a, b, dim=0) > 0.5 and cos(a, b, dim=0) - cos(a, c, dim=0) > 0.5
