"""Rule tables: the real ``rules/`` folder is complete and consistent; broken tables are refused.

The first half checks the curated tables (concepts, aliases, ambiguous short forms) for the
properties the normalizer relies on, and runs the term matcher over whole phrases that must come out
as one mention (signalling pathways, a drug or monomer rather than its class or herb, general clinical
terms in both languages) or must not fire a narrow concept (everyday words); the second half writes small broken tables to a temp folder
and checks that both ``load_rules`` and ``python cli.py rules check`` reject them, naming the line.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from pipeline.normalize import TermMatcher, fold_key
from pipeline.rules import ALIAS_LANGS, POLARITIES, TABLE_COLUMNS, RuleTableError, check_rules, load_rules
from pipeline.types import CONCEPT_TYPES

# fmt: off
# Surface forms real papers use -> the concept they must name (Chinese synonyms, English variants,
# abbreviations, English abbreviations embedded in Chinese).
ALIAS_CASES = [
    ("骨髓基质干细胞", "zh", "C_BMSC"),
    ("骨髓源间充质干细胞", "zh", "C_BMSC"),
    ("骨髓MSCs", "zh", "C_BMSC"),
    ("BMSCs", "abbr", "C_BMSC"),
    ("bone marrow stromal cells", "en", "C_BMSC"),
    ("脂肪干细胞", "zh", "C_ADSC"),
    ("脂肪来源干细胞", "zh", "C_ADSC"),
    ("脂肪源性干细胞", "zh", "C_ADSC"),
    ("脂肪源性MSCs", "zh", "C_ADSC"),
    ("ADSCs", "abbr", "C_ADSC"),
    ("adipose-derived stem cells", "en", "C_ADSC"),
    ("hUC-MSCs", "abbr", "C_UCMSC"),
    ("去卵巢", "zh", "C_OVX"),
    ("ovariectomized", "en", "C_OVX"),
    ("OVX", "abbr", "C_OVX"),
    ("激素性股骨头坏死", "zh", "C_SONFH"),
    ("steroid-induced femoral head necrosis", "en", "C_SONFH"),
    ("股骨头缺血性坏死", "zh", "C_ONFH"),
    ("骨性关节炎", "zh", "C_OA"),
    ("尾吊", "zh", "C_HLU"),
    ("尾静脉注射", "zh", "C_TAIL_VEIN"),
    ("关节腔内注射", "zh", "C_IA_JOINT"),
    ("唑来膦酸钠", "zh", "C_ZOLEDRONIC"),
    ("PTH(1-34)", "en", "C_TERIPARATIDE"),
    ("Runx2", "abbr", "C_RUNX2"),
    ("Ⅱ型胶原", "zh", "C_COL2A1"),
    ("骨小梁分离度", "zh", "C_TBSP"),
    ("Tb.Sp", "abbr", "C_TBSP"),
    ("BV/TV", "abbr", "C_BVTV"),
    ("茜素红染色", "zh", "C_MINERALIZATION"),
    ("BBB运动功能评分", "zh", "C_BBB"),
    ("SD大鼠", "zh", "C_SD_RAT"),
    ("β-磷酸三钙", "zh", "C_TCP"),
    # Bone remodelling processes and stem-cell properties.
    ("骨量丢失", "zh", "C_BONE_LOSS"),
    ("骨重塑", "zh", "C_BONE_REMODELING"),
    ("骨转换", "zh", "C_BONE_TURNOVER"),
    ("self-renewal", "en", "C_SELF_RENEWAL"),
    ("多向分化潜能", "zh", "C_TRILINEAGE"),
    ("血管新生", "zh", "C_ANGIOGENESIS"),
    ("骨-脂平衡", "zh", "C_OSTEO_ADIPO_BALANCE"),
    ("干细胞归巢", "zh", "C_HOMING"),           # homing (in vivo) is not migration (Transwell)
    ("迁移能力", "zh", "C_MIGRATION"),
    # Bone turnover markers, MHC molecules.
    ("PYD", "abbr", "C_PYD"),
    ("β-胶原特殊序列", "zh", "C_CTX"),
    ("MHC-II", "abbr", "C_MHC2"),
    ("HLA-ABC", "abbr", "C_MHC1"),
    # Rehabilitation, hip preservation, anti-osteoporosis drug classes, marrow.
    ("运动疗法", "zh", "C_EXERCISE_THERAPY"),
    ("FES踏车", "zh", "C_FES_CYCLING"),
    ("保髋", "zh", "C_HIP_PRESERVATION"),
    ("PTH1-34", "abbr", "C_TERIPARATIDE"),
    ("anti-sclerostin antibody", "en", "C_ANTI_SOST"),
    ("骨吸收抑制剂", "zh", "C_ANTIRESORPTIVE"),
    ("骨髓细胞", "zh", "C_BM_CELLS"),
    ("marrow fat", "en", "C_MARROW_FAT"),
    # English clinical-trial outcomes.
    ("length of stay", "en", "C_LOS"),
    ("intraoperative blood loss", "en", "C_BLOOD_LOSS"),
    ("术中出血量", "zh", "C_BLOOD_LOSS"),
    ("surgical site infection", "en", "C_SSI"),
    ("readmission rate", "en", "C_READMISSION"),
    ("double-blind", "en", "C_DOUBLE_BLIND"),
    ("疼痛评分", "zh", "C_VAS"),                # papers that score pain mean their VAS
    ("并发症发生率", "zh", "C_AE"),
    # Session-2 breadth: source-variant cell and exosome names, neural and immune cells, RNAs.
    ("脂肪衍生间充质干细胞", "zh", "C_ADSC"),
    ("骨髓间充质干细胞衍生外泌体", "zh", "C_BMSC_EXO"),
    ("BMSC-EXOs", "abbr", "C_BMSC_EXO"),
    ("间充质干细胞来源的细胞外囊泡", "zh", "C_MSC_EV"),
    ("少突胶质祖细胞", "zh", "C_OPC"),
    ("髌下脂肪垫间充质干细胞", "zh", "C_IPFP_MSC"),
    ("Iba1", "abbr", "C_IBA1"),
    ("miR-206", "abbr", "C_MIR206"),
    ("微RNA-223", "zh", "C_MIR223"),
    ("lncRNA H19", "en", "C_LNC_H19"),
    ("白介素-17A", "zh", "C_IL17"),
    # Outcome measures, assays, models, drugs, biomaterials and clinical terms.
    ("mNSS", "abbr", "C_MNSS"),
    ("改良JOA评分", "zh", "C_MJOA"),
    ("固蓝染色", "zh", "C_LFB"),
    ("血清P1NP", "zh", "C_P1NP"),
    ("Hartley豚鼠", "zh", "C_DUNKIN_HARTLEY"),
    ("改良Allen法", "zh", "C_SC_CONTUSION"),
    ("黄芪", "zh", "C_ASTRAGALUS"),
    ("椎弓根螺钉", "zh", "C_PEDICLE_SCREW"),
    ("呼吸机相关性肺炎", "zh", "C_VAP"),
    ("low molecular weight heparin", "en", "C_LMWH"),
]

# Outcome measures whose good direction the field agrees on (issue 3).
POLARITY_CASES = [
    ("C_BMD", "higher_better"), ("C_BVTV", "higher_better"), ("C_TBN", "higher_better"),
    ("C_TBTH", "higher_better"), ("C_CTTH", "higher_better"), ("C_BONE_STRENGTH", "higher_better"),
    ("C_HHS", "higher_better"), ("C_LYSHOLM", "higher_better"), ("C_KOOS", "higher_better"),
    ("C_BBB", "higher_better"),
    ("C_TBSP", "lower_better"), ("C_VAS", "lower_better"), ("C_WOMAC", "lower_better"),
    ("C_MANKIN", "lower_better"), ("C_OARSI", "lower_better"), ("C_CTX", "lower_better"),
    ("C_ODI", "lower_better"),
    ("C_LOS", "lower_better"), ("C_BLOOD_LOSS", "lower_better"), ("C_SSI", "lower_better"),
    ("C_BARTHEL", "higher_better"), ("C_SCIM", "higher_better"), ("C_PYD", "lower_better"),
    ("C_P1NP", ""), ("C_ALP_ACTIVITY", ""), ("C_APOPTOSIS", ""),  # direction depends on the study
    ("C_BONE_TURNOVER", ""), ("C_INCIDENCE", ""),
    ("C_MNSS", "lower_better"), ("C_MJOA", "higher_better"), ("C_DASH", "lower_better"),
    ("C_OXFORD_KNEE", "higher_better"), ("C_DAS28", "lower_better"), ("C_TBS", "higher_better"),
]

# Short forms with more than one reading in the field, and readings each must offer.
AMBIGUOUS_CASES = [
    ("HA", {"C_HA_INJ", "C_HAP"}),           # hyaluronic acid / hydroxyapatite
    ("NP", {"C_NP_TISSUE", "C_NEUROPATHIC_PAIN", "C_NANOPARTICLE"}),
    ("CT", {"C_CT_SCAN", "C_CALCITONIN"}),
    ("OC", {"C_OSTEOCLAST", "C_OCN"}),
    ("DOP", {"C_DOP", "C_DIABETIC_OP"}),      # 失用性 / 糖尿病性骨质疏松
    ("CTX", {"C_CTX", "C_MUSCLE_INJURY_MODEL"}),
    ("SP", {"C_SUBP"}),                       # substance P, but SP is also "spinal"/"Sprague"
    ("SD", {"C_SD_RAT"}),                     # Sprague-Dawley, but mostly "standard deviation"
    ("SAS", {"C_SAS_SCALE"}),                 # anxiety scale, but also the statistics package
    ("TG", {"C_TRIGLYCERIDE"}),               # triglycerides, but also "transgenic"
    ("ASD", {"C_ASD"}),                       # adjacent segment degeneration / adult spinal deformity
    ("CSCs", {"C_CANCER_SC", "C_CARDIAC_SC", "C_CSPC"}),
    ("OCP", {"C_OCP", "C_OCP_MAT"}),          # osteoclast precursors / octacalcium phosphate
    ("MDSCs", {"C_MDSC", "C_MDSC_SUPPRESSOR"}),
    ("LDH", {"C_LDH", "C_LDH_RELEASE"}),      # lumbar disc herniation / lactate dehydrogenase
    ("MVs", {"C_MATRIX_VESICLE", "C_EV"}),
]

# Whole phrases a paper writes that must come out as ONE mention of the named concept (not as
# the gene names inside them): signalling pathways written as 通路/信号通路/途径/pathway/signaling,
# and members / cell-specific processes that contain a family or process name.
WHOLE_PHRASE_CASES = [
    ("Wnt/β-catenin信号通路", "C_WNT"),
    ("canonical Wnt pathway", "C_WNT"),
    ("BMP-2/Smad信号通路", "C_BMP_SMAD"),
    ("TGF-β1/Smad3 signaling pathway", "C_TGFB_SMAD"),
    ("OPG/RANKL/RANK信号通路", "C_OPG_RANKL_RANK"),
    ("RANKL/RANK/OPG axis", "C_OPG_RANKL_RANK"),
    ("PI3K/Akt信号途径", "C_PI3K_AKT"),
    ("p38 MAPK signalling pathway", "C_P38"),
    ("AMPK/mTOR通路", "C_AMPK_MTOR"),
    ("Nrf2/HO-1信号通路", "C_NRF2_HO1"),
    ("HIF-1α/VEGF信号通路", "C_HIF_VEGF"),
    ("SDF-1/CXCR4轴", "C_SDF1_CXCR4"),
    ("Hippo/YAP signaling", "C_YAP"),
    ("JAK2/STAT3信号通路", "C_JAK_STAT"),
    ("TLR4/NF-κB signaling pathway", "C_TLR4_NFKB"),
    # A family name must not swallow a member it is glued to, nor a process its cell type.
    ("白细胞介素-12", "C_IL12"),
    ("神经元凋亡", "C_NEURON_APOPTOSIS"),
    ("cell death", "C_CELL_DEATH"),
    # A short name inside a common longer word: 白质 (white matter) in 蛋白质, 元分析 in 有限元分析.
    ("蛋白质水平", "C_PROTEIN_EXPRESSION"),
    ("蛋白质组学", "C_PROTEOMICS"),
    ("有限元分析", "C_FEA"),
    ("免疫抑制剂", "C_IMMUNOSUPPRESSANT"),   # the drug class, not the MSC immunomodulation inside it
    ("白细胞介素-17A", "C_IL17"),            # not 白细胞 (leukocytes) nor the interleukin family
    ("一氧化氮合酶", "C_NOS"),               # the enzyme, not 一氧化氮 (nitric oxide)
    ("骨髓间充质干细胞来源外泌体", "C_BMSC_EXO"),
    ("长链非编码RNA MALAT1", "C_LNC_MALAT1"),
]

# Everyday or methods phrases that contain the name of a narrower concept and must not fire it:
# 牛膝 (Achyranthes) in 牛膝关节 (bovine knee), 高糖 (high-glucose model) in 高糖DMEM (the medium),
# 乳酸 (lactate) in 乳酸菌, 凝血 (coagulation) in 凝血酶, 细胞裂解液 (any lysate) is no MSC lysate.
NOT_FIRING_CASES = [
    ("牛膝关节软骨细胞", "C_ACHYRANTHES"),
    ("高糖DMEM培养基", "C_HG_MODEL"),
    ("乳酸菌", "C_LACTATE"),
    ("凝血酶", "C_COAGULATION"),
    ("细胞裂解液", "C_MSC_LYSATE"),
    ("股骨头无菌性坏死", "C_NECROSIS"),
]

# Surface variants of one central concept of the field, Chinese and English, that papers use
# interchangeably: each form, written alone, must come out as ONE mention of that concept, so a
# concept group never splits over 的 insertions, 方向/潜能 forms, cell-source abbreviations,
# full gene names or British spellings.
VARIANT_GROUP_CASES = [
    ("C_OSTEO_DIFF", ("成骨分化", "成骨方向分化", "成骨细胞方向分化", "成骨细胞的分化", "成骨分化潜能",
                      "osteogenic differentiation", "osteogenic differentiation potential")),
    ("C_CHONDRO_DIFF", ("成软骨分化", "成软骨方向分化", "软骨细胞分化", "成软骨分化能力", "chondrogenic differentiation capacity")),
    ("C_ADIPO_DIFF", ("成脂分化", "成脂方向分化", "成脂肪细胞分化", "adipogenic differentiation potential")),
    ("C_OSTEOGENESIS", ("骨形成", "骨的形成", "bone formation")),
    ("C_BONE_RESORPTION", ("骨吸收", "骨的吸收", "bone resorption", "bone absorption")),
    ("C_BMSC_EXO", ("骨髓间充质干细胞来源外泌体", "BMSC来源的外泌体", "BMSCs-derived exosomes", "BM-MSC-Exos",
                    "骨髓间充质干细胞来源性外泌体")),
    ("C_ADSC_EXO", ("脂肪干细胞来源外泌体", "ADSCs来源的外泌体", "ASC-derived exosomes", "AD-MSCs-Exos")),
    ("C_UCMSC_EXO", ("脐带间充质干细胞来源外泌体", "hUC-MSCs来源外泌体", "hUCMSC-derived exosomes")),
    ("C_MSC_EXO", ("间充质干细胞来源外泌体", "MSC来源的外泌体", "MSCs-derived exosomes")),
    ("C_ACAN", ("聚集蛋白聚糖", "聚蛋白多糖", "aggrecan")),
    ("C_RANKL", ("RANKL", "RANK配体", "receptor activator of NF-κB ligand")),
    ("C_BVTV", ("BV/TV", "骨体积/总体积", "bone volume/tissue volume")),
    ("C_TNFA", ("TNF-α", "肿瘤坏死因子", "tumour necrosis factor-alpha")),
    ("C_HSC", ("造血干细胞", "haematopoietic stem cells", "hemopoietic stem cells")),
    ("C_M2", ("M2型巨噬细胞", "M2-type macrophages", "M2极化巨噬细胞")),
    ("C_SCHWANN", ("施万细胞", "雪旺细胞", "Schwann细胞")),
    ("C_CARTILAGE_DEFECT", ("软骨损伤", "cartilage injury", "articular cartilage damage")),
]

# --- precision audit (session 2): a member is not its class, a monomer not its herb, an everyday
# word not a narrow term; short forms with a reading outside the field stay ambiguous.
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
    ("liproxstatin-1", "C_LIPROXSTATIN"),     # another ferroptosis inhibitor, not ferrostatin-1
    ("CY-09", "C_CY09"),                      # another NLRP3 inhibitor, not MCC950
    ("胰岛素抵抗", "C_INSULIN_RESISTANCE"),     # the condition; HOMA-IR is its index
    ("眩晕", "C_VERTIGO"),
    ("腰臀比", "C_WHR"),
    ("cervical lordosis", "C_CERVICAL_LORDOSIS"),
    ("sleep disorders", "C_SLEEP_DISORDER"),
    ("FEV1/FVC", "C_FEV1_FVC"),
    ("Hes1", "C_HES1"),                    # a Notch target gene, not the pathway
    ("白芍总苷", "C_TGP"),                  # the glucoside mixture, not its main monomer
    ("esketamine", "C_ESKETAMINE"),
    ("左布比卡因", "C_LEVOBUPIVACAINE"),
    ("电针", "C_ELECTROACUPUNCTURE"),
    ("electroacupuncture", "C_ELECTROACUPUNCTURE"),
    ("结肠", "C_COLON"),
    ("胰岛", "C_ISLETS"),
    ("脊髓半横断", "C_SC_HEMISECTION"),
    ("meniscectomy", "C_MENISCECTOMY"),
    ("石墨烯", "C_GRAPHENE"),
    ("糖酵解", "C_GLYCOLYSIS"),
    ("Charlson comorbidity index", "C_CHARLSON"),
    ("TRPV4", "C_TRPV4"),                  # a member channel, not the TRP family
    ("外周血", "C_PERIPHERAL_BLOOD"),
    ("peripheral blood", "C_PERIPHERAL_BLOOD"),
    ("神经功能", "C_NEURO_FUNC"),           # neurological, not (only) motor function
    ("functional recovery", "C_FUNC_RECOVERY"),
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
    ("intercondylar notch", "C_NOTCH"),    # the knee notch; the gene is matched case-sensitively
    ("来曲唑", "C_AROMATASE_INHIBITOR"),
    ("电针", "C_ACUPUNCTURE"),
    ("成骨标志物", "C_OSTEO_DIFF"),        # markers are measured, they are not the differentiation
    ("影响因素", "C_RISK_FACTOR"),          # 'influencing factors' is ordinary wording
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
    ("FA", {"C_FRACTIONAL_ANISOTROPY", "C_FERULIC"}),  # DTI fractional anisotropy / ferulic acid
    ("GCS", {"C_GCS_COMA", "C_GCS_STOCKING"}),  # Glasgow Coma Scale / compression stockings
    ("GDS", {"C_GDS"}),                     # Global Deterioration Scale
    ("HO", {"C_HO", "C_HO1"}),              # heterotopic ossification / heme oxygenase
    ("HCT", {"C_HEMATOCRIT", "C_HSCT"}),    # hematocrit / hematopoietic cell transplantation
    ("TNC", {"C_TNC"}),                     # total nucleated cells
    ("BME", {"C_BMES"}),                    # β-mercaptoethanol in culture media
    ("CFA", {"C_AIA"}),                     # complete Freund's adjuvant, the agent
    ("CDR", {"C_CDR_SCALE"}),               # complementarity-determining region
    ("MS", {"C_MS"}),                       # mass spectrometry
    ("UC", {"C_UC", "C_UMBILICAL_CORD"}),   # ulcerative colitis / umbilical cord
    ("CD", {"C_CD", "C_CROHN"}),            # core decompression / Crohn disease
]
# --- general clinical breadth: English clinical papers on any topic (VTE prophylaxis, H. pylori and
# iron deficiency, psychogeriatrics, rehabilitation) find their everyday terms in both languages,
# and a drug or scale is not folded into a broader neighbour.
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
    ("vena caval filters", "C_IVC_FILTER"),
    ("stressful life events", "C_LIFE_EVENTS"),
    ("负性生活事件", "C_LIFE_EVENTS"),
    ("children", "C_CHILD"),
    ("患儿", "C_CHILD"),
    ("三联疗法", "C_HP_TRIPLE"),
    ("bismuth quadruple therapy", "C_HP_QUADRUPLE"),
    ("心血管疾病", "C_CVD"),
    ("malaria", "C_MALARIA"),
    ("drug-eluting stents", "C_DES"),
    ("经皮冠状动脉介入治疗", "C_PCI"),
    ("continuous positive airway pressure", "C_CPAP"),
    ("general practitioners", "C_GENERAL_PRACTITIONER"),
    ("全科医生", "C_GENERAL_PRACTITIONER"),
    ("quality improvement", "C_QI"),
    ("self-management", "C_SELF_MANAGEMENT"),
    ("肝细胞癌", "C_HCC"),
    ("子痫前期", "C_PREECLAMPSIA"),
    ("妊娠期糖尿病", "C_GDM"),
    ("剖宫产", "C_CESAREAN"),
    ("Crohn's disease", "C_CROHN"),
    ("心绞痛", "C_ANGINA"),
    ("metoprolol", "C_METOPROLOL"),
    ("呋塞米", "C_FUROSEMIDE"),
    ("frusemide", "C_FUROSEMIDE"),
    ("达格列净", "C_DAPAGLIFLOZIN"),
    ("salbutamol", "C_SALBUTAMOL"),
    ("albuterol", "C_SALBUTAMOL"),
    ("硫酸镁", "C_MAGNESIUM_SULFATE"),
    ("羟氯喹", "C_HCQ"),                     # not 氯喹 (chloroquine) inside it
    ("NRS 2002", "C_NRS2002"),               # the nutrition screen, not the pain rating scale NRS
    ("体外膜肺氧合", "C_ECMO"),               # not 体外 (in vitro) at its head
    ("in vitro fertilization", "C_IVF"),
    ("体外循环", "C_CPB"),
    ("Beck Depression Inventory", "C_BDI"),   # the scale, not depression inside its name
    ("GAD-7", "C_GAD7"),
    ("工具性日常生活活动能力", "C_IADL"),
    ("left ventricular ejection fraction", "C_LVEF"),
    ("促甲状腺激素", "C_TSH"),
    ("首次排气时间", "C_FLATUS"),
    ("Karnofsky Performance Status", "C_KPS"),
    ("constraint-induced movement therapy", "C_CIMT"),
    ("重复经颅磁刺激", "C_RTMS"),
    ("tDCS", "C_TDCS"),
    ("认知行为疗法", "C_CBT"),
    ("enteral nutrition", "C_ENTERAL_NUTRITION"),
    ("姑息治疗", "C_PALLIATIVE"),
    ("potentially inappropriate medications", "C_PIM"),
    ("多重用药", "C_POLYPHARMACY"),
    ("急性胰腺炎", "C_PANCREATITIS"),
    ("hearing loss", "C_HEARING_LOSS"),
    ("胸腔积液", "C_PLEURAL_EFFUSION"),
    ("慢性肺源性心脏病", "C_COR_PULMONALE"),
    ("心肺复苏", "C_CPR"),
    ("endotracheal intubation", "C_INTUBATION"),
    ("新生儿", "C_NEWBORN"),
    ("顺铂", "C_CISPLATIN"),
    ("恩替卡韦", "C_ENTECAVIR"),
    ("干扰素-γ", "C_IFNG"),                  # the cytokine, not the interferon drug class
    ("肺炎克雷伯菌", "C_KPNEUMONIAE"),         # the bacterium, not 肺炎 (pneumonia) inside it
    ("再生障碍性贫血", "C_APLASTIC_ANEMIA"),    # not 再生 (regeneration) at its head
    ("抗高血压药", "C_ANTIHYPERTENSIVE"),       # the drug class, not hypertension
    ("出生体重", "C_BIRTH_WEIGHT"),             # not adult body weight
    ("社区获得性肺炎", "C_CA_PNEUMONIA"),
]

# Words that must not become one of the new general concepts.
CLINICAL_NOT_FIRING_CASES = [
    ("aged rats", "C_ELDERLY"),            # age of an animal model, not the older-adult population
    ("透析袋", "C_HEMODIALYSIS"),           # the dialysis bag of a lab protocol
    ("endoscopic discectomy", "C_ENDOSCOPY"),  # spinal endoscopy is no gastroscopy
    ("vitamin B12", "C_MECOBALAMIN"),
    ("认知障碍程度", "C_DEMENTIA"),        # 认知 (cognition) is no dementia: the 症 head of 认知症 strips to it
    ("EQ-5D", "C_QOL"),
    ("mechanical prophylaxis", "C_IPC"),   # stockings too, not only pneumatic compression
    ("缓解疼痛", "C_REMISSION"),            # 缓解 (relieve) is an everyday verb
]
# fmt: on

# Floors per type: well below today's counts (so rows can be dropped for quality) but high
# enough that a truncated or half-merged table fails.
MIN_CONCEPTS = 2000
MIN_CONCEPTS_PER_TYPE = {
    "cell": 180, "disease": 300, "model": 75, "species": 40, "route": 30, "procedure": 140,
    "drug": 420, "biomaterial": 100, "gene_protein": 550, "outcome": 450, "anatomy": 70,
}
# MeSH descriptor UIs: D + 6 digits (older) or D + 9 digits (2000s on, e.g. D000077211).
MESH_ID = re.compile(r"D\d{6}(\d{3})?")
CONCEPT_ID = re.compile(r"C_[A-Z0-9_]+")
CJK = re.compile(r"[\u3400-\u9fff]")
# One-character Chinese names match inside unrelated words (羊 in 羊膜, 牛 in 胎牛血清); only
# these species names, which papers write bare (犬股骨头坏死模型), are allowed.
ONE_CHAR_ZH_ALLOWED = {"犬", "猪"}

runner = CliRunner()


@pytest.fixture(scope="module")
def rules(rules_dir):
    return load_rules(rules_dir, strict=True)


@pytest.fixture(scope="module")
def matcher(rules):
    return TermMatcher(rules)


@pytest.fixture(scope="module")
def alias_index(rules):
    index = defaultdict(set)
    for row in rules.aliases:
        index[(row["alias"], row["lang"])].add(row["concept_id"])
    for c in rules.concepts.values():
        index[(c.preferred_en, "en")].add(c.concept_id)
        index[(c.preferred_zh, "zh")].add(c.concept_id)
    return index


# --- the real tables -------------------------------------------------------------------------


def test_rules_real_tables_load_strict_with_no_problems(rules_dir):
    loaded, problems = check_rules(rules_dir)
    assert loaded is not None and problems == []


def test_rules_real_tables_have_declared_columns(rules_dir):
    for name in ("concepts", "aliases", "ambiguous"):
        path = rules_dir / f"{name}.tsv"
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert lines[0].startswith("#"), f"{path} has no '#' documentation header"
        header = next(ln for ln in lines if not ln.startswith("#")).split("\t")
        required, optional = TABLE_COLUMNS[name]
        assert set(required) <= set(header) <= set(required) | set(optional), f"{path}: {header}"


def test_rules_every_row_names_a_source(rules):
    rows = [*rules.aliases, *rules.ambiguous]
    assert all(r["source"].strip() for r in rows)
    assert all(c.source.strip() for c in rules.concepts.values())


def test_rules_enough_bilingual_concepts(rules):
    bilingual = [c for c in rules.concepts.values() if c.preferred_en and CJK.search(c.preferred_zh)]
    assert len(bilingual) >= MIN_CONCEPTS
    assert len(bilingual) == len(rules.concepts), "every concept needs an English and a Chinese name"


@pytest.mark.parametrize("ctype,floor", sorted(MIN_CONCEPTS_PER_TYPE.items()))
def test_rules_each_type_has_enough_concepts(rules, ctype, floor):
    counts = Counter(c.type for c in rules.concepts.values())
    assert counts[ctype] >= floor, f"{ctype}: {counts[ctype]} concepts, expected at least {floor}"


def test_rules_concept_ids_types_and_polarity_are_valid(rules):
    for c in rules.concepts.values():
        assert CONCEPT_ID.fullmatch(c.concept_id), c.concept_id
        assert c.type in CONCEPT_TYPES, c
        assert c.polarity in POLARITIES, c
        assert not c.polarity or c.type == "outcome", f"{c.concept_id}: polarity on a {c.type}"


def test_rules_mesh_ids_are_well_formed_and_not_reused(rules):
    mesh = [c.mesh_id for c in rules.concepts.values() if c.mesh_id]
    bad = [m for m in mesh if not MESH_ID.fullmatch(m)]
    assert not bad, bad
    reused = [m for m, n in Counter(mesh).items() if n > 1]
    assert not reused, f"one MeSH descriptor on several concepts: {reused}"


def test_rules_no_alias_points_at_two_concepts(rules):
    owners = defaultdict(set)
    for row in rules.aliases:
        key = row["alias"] if row["lang"] == "abbr" else row["alias"].casefold().replace(" ", "").replace("-", "")
        owners[(key, row["lang"])].add(row["concept_id"])
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_rules_alias_language_matches_script(rules):
    for row in rules.aliases:
        assert row["lang"] in ALIAS_LANGS
        has_cjk = bool(CJK.search(row["alias"]))
        if row["lang"] == "zh":
            assert has_cjk, f"{row.path}:{row.line}: zh alias without Chinese {row['alias']!r}"
        else:
            assert not has_cjk, f"{row.path}:{row.line}: {row['lang']} alias with Chinese {row['alias']!r}"


def test_rules_no_one_character_chinese_names(rules):
    names = [r["alias"] for r in rules.aliases if r["lang"] == "zh"]
    names += [c.preferred_zh for c in rules.concepts.values()]
    short = {n for n in names if len(n) < 2} - ONE_CHAR_ZH_ALLOWED
    assert not short, short


def test_rules_ambiguous_short_forms_are_not_plain_aliases(rules):
    abbrs = {r["alias"] for r in rules.aliases if r["lang"] == "abbr"}
    for row in rules.ambiguous:
        assert row["short"] not in abbrs, f"{row.path}:{row.line}: {row['short']!r} is also in aliases.tsv"
        cues = [c for c in row["context"].split(";") if c.strip()]
        assert cues, f"{row.path}:{row.line}: no context cues"


@pytest.mark.parametrize("alias,lang,concept_id", ALIAS_CASES)
def test_rules_alias_names_its_concept(alias_index, alias, lang, concept_id):
    assert alias_index[(alias, lang)] == {concept_id}


@pytest.mark.parametrize("concept_id,polarity", POLARITY_CASES)
def test_rules_outcome_polarity(rules, concept_id, polarity):
    assert rules.concepts[concept_id].polarity == polarity


@pytest.mark.parametrize("short,readings", AMBIGUOUS_CASES + SECOND_READING_CASES)
def test_rules_ambiguous_short_form_offers_readings(rules, short, readings):
    offered = {r["concept_id"] for r in rules.ambiguous if r["short"] == short}
    assert readings <= offered, f"{short}: {offered}"


@pytest.mark.parametrize("phrase,concept_id", WHOLE_PHRASE_CASES + MEMBER_NOT_CLASS_CASES + CLINICAL_TERM_CASES)
def test_rules_pathway_phrase_is_one_mention(matcher, phrase, concept_id):
    found = [(m.start, m.end, m.concept_id) for m in matcher.find(phrase)]
    assert found == [(0, len(phrase), concept_id)], found


@pytest.mark.parametrize("phrase,concept_id", NOT_FIRING_CASES + NOT_A_TERM_CASES + CLINICAL_NOT_FIRING_CASES)
def test_rules_short_name_does_not_fire_inside_common_phrase(matcher, phrase, concept_id):
    assert concept_id not in {m.concept_id for m in matcher.find(phrase)}


@pytest.mark.parametrize("concept_id,forms", VARIANT_GROUP_CASES, ids=[c for c, _ in VARIANT_GROUP_CASES])
def test_rules_variants_of_a_central_concept_name_it(matcher, concept_id, forms):
    wrong = {}
    for form in forms:
        found = [(m.start, m.end, m.concept_id) for m in matcher.find(form)]
        if found != [(0, len(form), concept_id)]:
            wrong[form] = found
    assert not wrong, wrong


def test_rules_prognosis_does_not_fire_after_an_intervention(matcher):
    # 预后 (prognosis) is also the tail of 干预后 (after the intervention), so it is listed only in
    # phrases that cannot be read the other way.
    assert [m.concept_id for m in matcher.find("干预后两组患者的疼痛评分均下降")] == ["C_HUMAN", "C_VAS"]
    assert [m.concept_id for m in matcher.find("可改善预后")] == ["C_PROGNOSIS"]


def test_rules_no_name_folds_onto_two_concepts(rules):
    # The matcher folds case, dashes and spaces; two concepts whose names fold alike would
    # make the winner depend on table order (a preferred name on one, an alias on another).
    owners = defaultdict(set)
    for c in rules.concepts.values():
        owners[fold_key(c.preferred_en)].add(c.concept_id)
        owners[fold_key(c.preferred_zh)].add(c.concept_id)
    for row in rules.aliases:
        if row["lang"] != "abbr":
            owners[fold_key(row["alias"])].add(row["concept_id"])
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not clashes, clashes


def test_rules_cli_check_passes_on_real_tables(rules_dir):
    result = runner.invoke(cli.app, ["rules", "check", str(rules_dir)])
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


# --- broken tables are refused ---------------------------------------------------------------

CONCEPTS_OK = (
    "# test concepts\n"
    "concept_id\ttype\tpreferred_en\tpreferred_zh\tmesh_id\tpolarity\tsource\n"
    "C_OVX\tmodel\tovariectomy\t去卵巢\tD010052\t\tMeSH:Ovariectomy\n"
    "C_BMD\toutcome\tbone mineral density\t骨密度\tD015519\thigher_better\tMeSH:Bone Density\n"
)
ALIASES_OK = (
    "# test aliases\n"
    "concept_id\talias\tlang\tsource\n"
    "C_OVX\t卵巢切除\tzh\t医学名词\n"
    "C_BMD\tBMD\tabbr\tMeSH:Bone Density\n"
)
AMBIGUOUS_OK = "# test ambiguous\nshort\tconcept_id\tcontext\tsource\nOP\tC_OVX\t去卵巢;ovariectomy\ttest\n"

# (what is broken, table, text, words the message must contain)
BROKEN_CASES = [
    ("unknown column", "concepts", CONCEPTS_OK.replace("\tsource\n", "\tsource\tnote\n", 1), "unknown column"),
    ("missing source", "aliases", ALIASES_OK + "C_OVX\tovariectomised\ten\t\n", "empty source"),
    ("unknown type", "concepts", CONCEPTS_OK + "C_X\tmolecule\tx\t某物\t\t\tsomewhere\n", "unknown type"),
    ("alias to two concepts", "aliases", ALIASES_OK + "C_OVX\tBMD\tabbr\tsomewhere\n", "points at"),
    ("alias to unknown concept", "aliases", ALIASES_OK + "C_NOPE\tnope\ten\tsomewhere\n", "not in concepts.tsv"),
    ("unknown alias lang", "aliases", ALIASES_OK + "C_OVX\tovariectomie\tfr\tsomewhere\n", "unknown lang"),
    ("unknown polarity", "concepts", CONCEPTS_OK + "C_TBSP\toutcome\tTb.Sp\t骨小梁分离度\t\tup\tDempster 2013\n",
     "unknown polarity"),
    ("ambiguous to unknown concept", "ambiguous", AMBIGUOUS_OK + "OP\tC_NOPE\tx\ttest\n", "not in concepts.tsv"),
    ("ambiguous form also an alias", "ambiguous", AMBIGUOUS_OK + "BMD\tC_BMD\t骨密度\ttest\n", "also an abbr alias"),
    ("malformed MeSH id", "concepts", CONCEPTS_OK + "C_OPN\tgene_protein\tosteopontin\t骨桥蛋白\t53495\t\tHGNC:SPP1\n",
     "not a MeSH descriptor UI"),
    ("polarity on a non-outcome", "concepts",
     CONCEPTS_OK + "C_DEX\tdrug\tdexamethasone\t地塞米松\t\tlower_better\tMeSH:Dexamethasone\n", "only outcomes"),
]


def _write_tables(folder: Path, **override: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"concepts": CONCEPTS_OK, "aliases": ALIASES_OK, "ambiguous": AMBIGUOUS_OK, **override}
    for name, text in tables.items():
        (folder / f"{name}.tsv").write_text(text, encoding="utf-8")
    return folder


def test_rules_minimal_tables_pass(tmp_path):
    folder = _write_tables(tmp_path / "ok")
    assert load_rules(folder, strict=True).concepts.keys() == {"C_OVX", "C_BMD"}
    assert runner.invoke(cli.app, ["rules", "check", str(folder)]).exit_code == 0


@pytest.mark.parametrize("what,table,text,message", BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_rules_broken_table_is_refused(tmp_path, what, table, text, message):
    folder = _write_tables(tmp_path / "broken", **{table: text})
    with pytest.raises(RuleTableError, match=message):
        load_rules(folder, strict=True)
    result = runner.invoke(cli.app, ["rules", "check", str(folder)])
    assert result.exit_code != 0, f"{what}: {result.output}"
    assert message in result.output and f"{table}.tsv:" in result.output, result.output
