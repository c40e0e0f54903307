"""Rule tables, precision audit: members are not their class, ordinary words are not terms.

The tables grew fast, and fast growth puts a name on the wrong concept: a drug on its class
(etanercept on TNF inhibitors), a monomer on its herb (triptolide on Tripterygium), an agonist on
its antagonist (purmorphamine on cyclopamine), one member on another (ginsenoside Rb1 on Rg1), or
an everyday word on a narrow concept ('locally' as a route, 'connectivity' as a micro-CT index).
These cases pin the corrections, in both languages: each phrase must come out as the named
concept, or must not fire the named concept at all. Short forms with a second common reading
(B6 = vitamin B6, POI = postoperative ileus, CCI = Charlson index) must stay out of the plain
aliases and offer their readings in ambiguous.tsv.
"""

from __future__ import annotations

import pytest

from pipeline.normalize import TermMatcher
from pipeline.rules import load_rules

# fmt: off
# A whole phrase -> the one concept it must name (zh and en forms side by side).
MEMBER_NOT_CLASS_CASES = [
    ("依那西普", "C_ETANERCEPT"),
    ("etanercept", "C_ETANERCEPT"),
    ("infliximab", "C_INFLIXIMAB"),
    ("阿达木单抗", "C_ADALIMUMAB"),
    ("来曲唑", "C_LETROZOLE"),
    ("omeprazole", "C_OMEPRAZOLE"),
    ("氢氯噻嗪", "C_HCTZ"),
    ("fasudil", "C_FASUDIL"),
    ("雷公藤甲素", "C_TRIPTOLIDE"),
    ("triptolide", "C_TRIPTOLIDE"),
    ("补骨脂素", "C_PSORALEN"),
    ("延胡索乙素", "C_THP"),
    ("人参皂苷Rb1", "C_GINSENOSIDE_RB1"),
    ("ginsenosides", "C_GINSENOSIDES"),
    ("黄芩素", "C_BAICALEIN"),
    ("purmorphamine", "C_PURMORPHAMINE"),
    ("电针", "C_ELECTROACUPUNCTURE"),
    ("electroacupuncture", "C_ELECTROACUPUNCTURE"),
    ("结肠", "C_COLON"),
    ("胰岛", "C_ISLETS"),
    ("脊髓半横断", "C_SC_HEMISECTION"),
    ("meniscectomy", "C_MENISCECTOMY"),
    ("石墨烯", "C_GRAPHENE"),
    ("糖酵解", "C_GLYCOLYSIS"),
    ("Charlson comorbidity index", "C_CHARLSON"),
]

# Everyday words and phrases that must not fire a narrow concept.
NOT_A_TERM_CASES = [
    ("locally advanced disease", "C_LOCAL"),
    ("结肠癌患者", "C_INTESTINE"),
    ("胰岛β细胞", "C_PANCREAS"),
    ("functional connectivity", "C_CONND"),
    ("whole-brain irradiation", "C_IRRADIATION"),
    ("cardiac cryoinjury", "C_CRYO_ONFH"),
    ("vitamin B6 intake", "C_C57BL6"),
    ("karyotype", "C_GENOMIC_STABILITY"),
    ("来曲唑", "C_AROMATASE_INHIBITOR"),
    ("电针", "C_ACUPUNCTURE"),
]

# Short forms with a reading outside the field -> the readings ambiguous.tsv must offer.
SECOND_READING_CASES = [
    ("B6", {"C_C57BL6"}),                   # vitamin B6
    ("POI", {"C_POI"}),                     # postoperative ileus
    ("IAP", {"C_IAP"}),                     # intra-abdominal pressure
    ("ICA", {"C_ICARIIN"}),                 # internal carotid artery
    ("MLR", {"C_MLR"}),                     # monocyte-to-lymphocyte ratio
    ("CCI", {"C_CCI", "C_CHARLSON"}),       # chronic constriction injury / Charlson index
    ("AF", {"C_AF", "C_AF_TISSUE"}),        # atrial fibrillation / annulus fibrosus
]
# fmt: on


@pytest.fixture(scope="module")
def rules(rules_dir):
    return load_rules(rules_dir, strict=True)


@pytest.fixture(scope="module")
def matcher(rules):
    return TermMatcher(rules)


@pytest.mark.parametrize("phrase,concept_id", MEMBER_NOT_CLASS_CASES)
def test_rules_audit_member_maps_to_its_own_concept(matcher, phrase, concept_id):
    found = [(m.start, m.end, m.concept_id) for m in matcher.find(phrase)]
    assert found == [(0, len(phrase), concept_id)], found


@pytest.mark.parametrize("phrase,concept_id", NOT_A_TERM_CASES)
def test_rules_audit_everyday_phrase_does_not_fire(matcher, phrase, concept_id):
    assert concept_id not in {m.concept_id for m in matcher.find(phrase)}


@pytest.mark.parametrize("short,readings", SECOND_READING_CASES)
def test_rules_audit_short_form_with_second_reading_is_ambiguous(rules, short, readings):
    offered = {r["concept_id"] for r in rules.ambiguous if r["short"] == short}
    assert readings <= offered, f"{short}: {offered}"
    assert short not in {r["alias"] for r in rules.aliases if r["lang"] == "abbr"}
