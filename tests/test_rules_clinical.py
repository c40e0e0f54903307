"""Rule tables, general clinical breadth: English clinical papers on any topic find their terms.

The hidden papers include English clinical studies outside the bone/stem-cell core (VTE
prophylaxis, H. pylori and iron deficiency, psychogeriatrics, rehabilitation). These cases check
that their everyday clinical vocabulary -- diseases, drugs and drug classes, procedures, laboratory
values, geriatric and psychiatric scales, study populations -- names one concept, in English and in
the standard Chinese term, and that a drug or scale is not folded into a broader neighbour
(low-molecular-weight heparin is not heparin, EQ-5D is not quality of life in general, vitamin B12
is not mecobalamin).
"""

from __future__ import annotations

import pytest

from pipeline.normalize import TermMatcher
from pipeline.rules import load_rules

# fmt: off
# (phrase, concept) pairs, English and Chinese forms of the same concept side by side.
CLINICAL_TERM_CASES = [
    # psychogeriatrics
    ("delirium", "C_DELIRIUM"),
    ("谵妄", "C_DELIRIUM"),
    ("dementia", "C_DEMENTIA"),
    ("痴呆", "C_DEMENTIA"),
    ("vascular dementia", "C_VASCULAR_DEMENTIA"),
    ("精神分裂症", "C_SCHIZOPHRENIA"),
    ("Montreal Cognitive Assessment", "C_MOCA"),
    ("MoCA", "C_MOCA"),
    ("Geriatric Depression Scale", "C_GDS"),
    ("老年抑郁量表", "C_GDS"),
    ("Zarit Burden Interview", "C_ZARIT"),
    ("caregiver burden", "C_CAREGIVER_BURDEN"),
    ("Neuropsychiatric Inventory", "C_NPI"),
    ("antipsychotics", "C_ANTIPSYCHOTIC"),
    ("抗抑郁药", "C_ANTIDEPRESSANT"),
    ("donepezil", "C_DONEPEZIL"),
    ("多奈哌齐", "C_DONEPEZIL"),
    ("older adults", "C_ELDERLY"),
    ("老年患者", "C_ELDERLY"),
    ("nursing homes", "C_NURSING_HOME"),
    # H. pylori, gastric disease, iron deficiency
    ("peptic ulcer", "C_PEPTIC_ULCER"),
    ("消化性溃疡", "C_PEPTIC_ULCER"),
    ("atrophic gastritis", "C_ATROPHIC_GASTRITIS"),
    ("胃癌", "C_GASTRIC_CANCER"),
    ("gastric cancer", "C_GASTRIC_CANCER"),
    ("H. pylori eradication", "C_HP_ERADICATION"),
    ("根除幽门螺杆菌", "C_HP_ERADICATION"),
    ("urea breath test", "C_UBT"),
    ("clarithromycin", "C_CLARITHROMYCIN"),
    ("阿莫西林", "C_AMOXICILLIN"),
    ("铋剂", "C_BISMUTH"),
    ("iron deficiency", "C_IRON_DEFICIENCY"),
    ("transferrin saturation", "C_TSAT"),
    ("转铁蛋白饱和度", "C_TSAT"),
    ("ferrous sulfate", "C_FERROUS_SULFATE"),
    ("intravenous iron", "C_IV_IRON"),
    ("mean corpuscular volume", "C_MCV"),
    ("vitamin B12", "C_VITB12"),
    ("维生素B12", "C_VITB12"),
    # thromboprophylaxis, critical care, general medicine
    ("low-molecular-weight heparin", "C_LMWH"),
    ("低分子肝素", "C_LMWH"),
    ("dalteparin", "C_DALTEPARIN"),
    ("Glasgow Coma Scale", "C_GCS_COMA"),
    ("APACHE II", "C_APACHE2"),
    ("SOFA评分", "C_SOFA"),
    ("NT-proBNP", "C_NTPROBNP"),
    ("肌钙蛋白", "C_TROPONIN"),
    ("hyponatremia", "C_HYPONATREMIA"),
    ("hemodialysis", "C_HEMODIALYSIS"),
    ("化疗", "C_CHEMOTHERAPY"),
    ("radiotherapy", "C_RADIOTHERAPY"),
    ("EQ-5D", "C_EQ5D"),
    ("hospitalization", "C_HOSPITALIZATION"),
    ("偏瘫", "C_HEMIPLEGIA"),
    ("aphasia", "C_APHASIA"),
    ("urinary incontinence", "C_URINARY_INCONTINENCE"),
    ("哮喘", "C_ASTHMA"),
]

# Words that must not become one of the new general concepts.
CLINICAL_NOT_FIRING_CASES = [
    ("aged rats", "C_ELDERLY"),            # age of an animal model, not the older-adult population
    ("透析袋", "C_HEMODIALYSIS"),           # the dialysis bag of a lab protocol
    ("endoscopic discectomy", "C_ENDOSCOPY"),  # spinal endoscopy is no gastroscopy
    ("vitamin B12", "C_MECOBALAMIN"),
    ("EQ-5D", "C_QOL"),
]
# fmt: on


@pytest.fixture(scope="module")
def matcher(rules_dir):
    return TermMatcher(load_rules(rules_dir, strict=True))


@pytest.mark.parametrize("phrase,concept_id", CLINICAL_TERM_CASES)
def test_rules_clinical_term_is_one_mention(matcher, phrase, concept_id):
    found = [(m.start, m.end, m.concept_id) for m in matcher.find(phrase)]
    assert found == [(0, len(phrase), concept_id)], found


@pytest.mark.parametrize("phrase,concept_id", CLINICAL_NOT_FIRING_CASES)
def test_rules_clinical_name_does_not_fire(matcher, phrase, concept_id):
    assert concept_id not in {m.concept_id for m in matcher.find(phrase)}
