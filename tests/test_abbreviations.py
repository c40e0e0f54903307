"""Tests for pipeline.abbreviations: bilingual definitions, offsets, line-break repair, corpora."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.abbreviations import (
    build,
    delatex,
    Lexicon,
    find_definitions,
    is_short_form,
    lexicon_from_rules,
    merge_definitions,
    paper_definitions,
    repair_line_breaks,
    unglue,
)
from pipeline.config import Config

# Sentences written for these tests (not taken from shared/).
# fmt: off
PARENTHETICAL_CASES = [
    # (text, short, long_en, long_zh, form)
    ("骨关节炎（osteoarthritis, OA）是一种常见的退行性疾病。", "OA", "osteoarthritis", "骨关节炎", "zh_en_short"),
    ("脂肪来源干细胞(adipose-derived stem cells，ADSCs)可分化为多种细胞。", "ADSCs", "adipose-derived stem cells", "脂肪来源干细胞", "zh_en_short"),
    ("实验发现去卵巢骨丢失（ovariectomy-induced bone loss；OIBL）明显加重。", "OIBL", "ovariectomy-induced bone loss", "去卵巢骨丢失", "zh_en_short"),
    ("治疗后，肿瘤坏死因子 α（tumor necrosis factor-α, TNF-α）水平升高。", "TNF-α", "tumor necrosis factor-α", "肿瘤坏死因子 α", "zh_en_short"),
    ("研究了细胞外基质（extracellular ma-\ntrix, ECM）的变化。", "ECM", "extracellular matrix", "细胞外基质", "zh_en_short"),
    ("并抑制促肾上腺皮质激素(adrenocorticotro- pic hormone, ACTH)分泌。", "ACTH", "adrenocorticotro-pic hormone", "促肾上腺皮质激素", "zh_en_short"),
    ("采用骨形成蛋白-7 (BMP-7)处理。", "BMP-7", None, "骨形成蛋白-7", "zh_short"),
    ("他们建立了脐带组织来源的内皮细胞（umbilical cord-derived endothelial cells, UC-ECs）的培养方法。", "UC-ECs",
     "umbilical cord-derived endothelial cells", "脐带组织来源的内皮细胞", "zh_en_short"),
    ("1998年美国风湿病学会（ACR）发布标准。", "ACR", None, "美国风湿病学会", "zh_short"),
    ("测定培养基中乳酸脱氢酶(lactate dehydrogenase, LDH)的活性。", "LDH", "lactate dehydrogenase", "乳酸脱氢酶", "zh_en_short"),
    ("并检测白细胞介素 6(IL-6)的表达。", "IL-6", None, "白细胞介素 6", "zh_short"),
    ("局部注射神经生长因子(NGF)后疼痛减轻。", "NGF", None, "神经生长因子", "zh_short"),
    ("P 物质(SP)在骨中表达。", "SP", None, "P 物质", "zh_short"),
    ("并激活Toll样受体4（Toll-like receptor 4, TLR4）通路。", "TLR4", "Toll-like receptor 4", "Toll样受体4", "zh_en_short"),
    ("Bone marrow stromal cells (BMSCs) were isolated from the femur.", "BMSCs", "Bone marrow stromal cells", None, "en_short"),
    ("Patients had an International Prostate Symptom Score (IPSS) above 8.", "IPSS", "International Prostate Symptom Score", None, "en_short"),
    ("Osteoarthritis (OA)-related pain was scored.", "OA", "Osteoarthritis", None, "en_short"),
    ("We injected human umbilical cord MSCs (hUC-MSCs) into the joint.", "hUC-MSCs", "human umbilical cord MSCs", None, "en_short"),
    ("Levels of interleukin-1β (IL-1β) rose.", "IL-1β", "interleukin-1β", None, "en_short"),
    ("Levels of transforming growth factor beta 1 (TGF-β1) rose.", "TGF-β1", "transforming growth factor beta 1", None, "en_short"),
    ("They took selective serotonin reuptake inhibitors (SSRIs) daily.", "SSRIs", "selective serotonin reuptake inhibitors", None, "en_short"),
    ("Knees underwent anterior cruciate ligament transection (ACLT) surgery.", "ACLT", "anterior cruciate ligament transection", None, "en_short"),
    ("Rats given bone morphogenetic protein-2 (BMP-2; 5 μg) healed.", "BMP-2", "bone morphogenetic protein-2", None, "en_short"),
    ("Mice were fed a high-fat diet (HFD; n = 12) for 8 weeks.", "HFD", "high-fat diet", None, "en_short"),
    ("The IVD (intervertebral disc) degenerates with age.", "IVD", "intervertebral disc", None, "short_en"),
    ("Female OVX (ovariectomized) mice lost bone.", "OVX", "ovariectomized", None, "short_en"),
    ("We named it Hsrp (for heat shock regulated protein) here.", "Hsrp", "heat shock regulated protein", None, "short_en"),
    ("Inhibitors of ACE (angiotensin-converting enzyme; EC 3.4.15.1) lower blood pressure.", "ACE",
     "angiotensin-converting enzyme", None, "short_en"),
    ("Neurotrophin-3 [NT-3] was applied.", "NT-3", "Neurotrophin-3", None, "en_short"),
    ("间充质干细胞（MSCs, mesenchymal stem cells）具有分化潜能。", "MSCs", "mesenchymal stem cells", "间充质干细胞",
     "zh_en_short"),
    ("骨关节炎（osteoarthritis）（OA）多见于老年人。", "OA", "osteoarthritis", "骨关节炎", "zh_en_short"),
    ("血清白细胞介素-1β（interleukin-1β, IL-1β）升高。", "IL-1β", "interleukin-1β", "白细胞介素-1β", "zh_en_short"),
    ("核因子-κB受体活化因子配体（RANKL）促进破骨细胞形成。", "RANKL", None, "核因子-κB受体活化因子配体", "zh_short"),
    ("治疗后，骨密度（bone mineral density BMD）下降。", "BMD", "bone mineral density", "骨密度", "zh_en_short"),
    ("结果显示，骨密度（bone mineral density：BMD）下降。", "BMD", "bone mineral density", "骨密度", "zh_en_short"),
    ("检测抗酒石酸酸性磷酸酶5b（TRACP-5b）水平。", "TRACP-5b", None, "抗酒石酸酸性磷酸酶5b", "zh_short"),
    ("检测血清骨转换标志物（BTMs）水平。", "BTMs", None, "骨转换标志物", "zh_short"),
    ("检测BMD（bone mineral density，骨密度）的变化。", "BMD", "bone mineral density", "骨密度", "short_en"),
    ("以OVX（去卵巢，ovariectomy）大鼠为模型。", "OVX", "ovariectomy", "去卵巢", "short_en"),
    ("局部给予IGF-1（胰岛素样生长因子1）后骨折愈合加快。", "IGF-1", None, "胰岛素样生长因子1", "short_zh"),
    ("术后随访VAS（即视觉模拟评分）。", "VAS", None, "视觉模拟评分", "short_zh"),
    ("结果显示BMSCs（骨髓基质细胞）向成骨方向分化。", "BMSCs", None, "骨髓基质细胞", "short_zh"),
    # digits spelt as number words or Roman numerals, -ectomy written X, plural lower-case short forms
    ("Cells grew on three-dimensional (3D) printed scaffolds.", "3D", "three-dimensional", None, "en_short"),
    ("Expression of collagen type II alpha 1 (COL2A1) fell.", "COL2A1", "collagen type II alpha 1", None, "en_short"),
    ("Bone was lost in ovariectomized (OVX) rats.", "OVX", "ovariectomized", None, "en_short"),
    ("Mice underwent orchiectomy (ORX) at 8 weeks.", "ORX", "orchiectomy", None, "en_short"),
    ("三维（three-dimensional, 3D）打印支架促进成骨。", "3D", "three-dimensional", "三维", "zh_en_short"),
    ("去卵巢（ovariectomy, OVX）大鼠骨量减少。", "OVX", "ovariectomy", "去卵巢", "zh_en_short"),
    ("Inhibitors of cyclin-dependent kinases (cdks) stop the cycle.", "cdks", "cyclin-dependent kinases", None, "en_short"),
    ("Urinary 8-hydroxy-2'-deoxyguanosine (8-OHdG) rose.", "8-OHdG", "8-hydroxy-2'-deoxyguanosine", None, "en_short"),
    ("Activity of superoxide dismutase (EC 1.15.1.1; SOD) fell.", "SOD", "superoxide dismutase", None, "en_short"),
    ("Serum 17β-estradiol (E2) was lower after surgery.", "E2", "17β-estradiol", None, "en_short"),
    # concentrations in square brackets, i/o for the side of the membrane; a counted word before the name
    ("Osteoclasts raised the intracellular free Ca2+ concentration ([Ca2+]i) quickly.", "[Ca2+]i",
     "intracellular free Ca2+ concentration", None, "en_short"),
    ("Chondrocytes sense the extracellular K+ concentration ([K+]o) as well.", "[K+]o",
     "extracellular K+ concentration", None, "en_short"),
    ("DNA damage activates poly(ADP-ribose) polymerase (PARP) in chondrocytes.", "PARP",
     "poly(ADP-ribose) polymerase", None, "en_short"),
    ("Patients completed the 36-item Short Form Health Survey (SF-36) at baseline.", "SF-36",
     "36-item Short Form Health Survey", None, "en_short"),
    # an article after a preposition inside the long form; the short form as a hyphen prefix; a remark bracket
    ("Accuracy was judged by computing the area under the curve (AUC) for each model.", "AUC",
     "area under the curve", None, "en_short"),
    ("We recorded the time to the first fracture (TTFF) in months.", "TTFF", "time to the first fracture", None, "en_short"),
    ("Serum levels of LDL-cholesterol (LDL) fell in the statin arm.", "LDL", "LDL-cholesterol", None, "en_short"),
    ("Septic patients received drotrecogin alfa (activated) (DrotAA) for four days.", "DrotAA",
     "drotrecogin alfa (activated)", None, "en_short"),
    ("Grip strength (dominant) (GS) was measured twice.", "GS", "Grip strength", None, "en_short"),
    ("Controls got the non–bone-targeted peptide (BTP) instead.", "BTP", "bone-targeted peptide", None, "en_short"),
]
GLOSSARY_CASES = [
    ("OPG: osteoprotegerin(骨保护素); RANK: receptor activator of NF-κB(核因子κB受体活化因子); Wnt:无翅型蛋白",
     [("OPG", "osteoprotegerin", "骨保护素"), ("RANK", "receptor activator of NF-κB", "核因子κB受体活化因子")]),
    ("Abbreviations: BMD, bone mineral density; PMO, postmenopausal osteoporosis.",
     [("BMD", "bone mineral density", None), ("PMO", "postmenopausal osteoporosis", None)]),
    ("注：TNF：肿瘤坏死因子；IL：白细胞介素",
     [("TNF", None, "肿瘤坏死因子"), ("IL", None, "白细胞介素")]),
    ("OA, osteoarthritis 骨关节炎；RA, rheumatoid arthritis 类风湿关节炎",
     [("OA", "osteoarthritis", "骨关节炎"), ("RA", "rheumatoid arthritis", "类风湿关节炎")]),
    # one item per line under a heading, as journals print the list at the end of a paper
    ("List of abbreviations\nALP\tAlkaline phosphatase\nOVX\tOvariectomy\n\nReferences\n1. Li X, et al.",
     [("ALP", "Alkaline phosphatase", None), ("OVX", "Ovariectomy", None)]),
    ("The following abbreviations are used in this manuscript:\nBMD bone mineral density\n3D three-dimensional\n",
     [("BMD", "bone mineral density", None), ("3D", "three-dimensional", None)]),
    ("缩略语\nBMD 骨密度\nOVX 去卵巢\n本研究采用", [("BMD", None, "骨密度"), ("OVX", None, "去卵巢")]),
    ("Note: BMD, bone mineral density; OVX, ovariectomized; SHAM, sham-operated.",
     [("BMD", "bone mineral density", None), ("OVX", "ovariectomized", None), ("SHAM", "sham-operated", None)]),
]
NEGATIVE_CASES = [
    "合成了配合物Ca(BTZ)2并测定其发光。",
    "计算了草酰溴的一价正离子(BrCO)+的结构。",
    "复合阻燃剂的质量比为m(APP)∶m(PER)=3∶1。",
    "两组差异有统计学意义(P<0.05)。",
    "The rats (n = 10) were killed at 8 weeks.",
    "As reported previously (Smith et al.), bone loss was seen.",
    "Bone loss was reported in earlier work [12].",
    "The low-dose group (10 mg) showed no change.",
    "Several growth factors (e.g.) were tested.",
    "治疗 4 周（第 2 次）后复查。",
    "骨密度增加了（%）。",
    "The results are shown below (Figure 2).",
    "Cells were counted in group (A) and group (B).",
    "Shown are immunostaining (A) and Western blotting (B) of the femur.",
    "采用检测试剂盒(K2031)测定活性。",
    "按照试剂(Invitrogen)说明书操作。",
    "使用抗体（7E10A2）孵育。",
    "对照组（AdRFP+AdGFP）细胞。",
    "以β-actin（内参照）校正。",
    "OPG（见图2）表达升高。",
    "RANKL（实验组）与对照相比升高。",
    "The ratio was increased (see) in treated mice.",
    "Adult SD (male Wistar) rats were used.",
    "Thus, the cells grew faster; However, the effect was small.",
    "The dinuclear complex (2c) was crystallised.",
    "Rats in the appendectomy (OVX) group were fed.",
    "结果表明结晶可除去杂质(Fe、Cu、Zn)。",
    "随着[BMP]/[TGF]比值升高，成骨增加。",
    "Loading raised the Ca2+ concentration ([Ca2+]i) in cells.",
    "Abbreviations\nALP activity was measured in all groups.\nBMD rose in treated rats.",
    "我们用(PBS)2次冲洗细胞。",
    "配合物形成三维网络结构(CCDC：912345)。",
    "RANKL（实验组，n=6）表达升高。",
    "检测成骨分化标志物（ALP）的表达。",
    "实验动物为雄性大鼠（SD，8周龄）。",
]
# Pairs the letters do not spell, read as definitions because the rule tables name one concept
# for the short form (a hand-made lexicon here; rules/aliases.tsv in the pipeline).
KNOWN_LEXICON = Lexicon(names_by_short={
    "Runx2": (("runt-related transcription factor 2",), ("核心结合因子α1", "成骨特异性转录因子")),
    "GM1": (("GM1 ganglioside", "monosialotetrahexosylganglioside"), ()),
    "5-HT": (("5-hydroxytryptamine", "serotonin"), ("血清素",)),
    "E2": (("estradiol",), ("雌二醇",)),
    "P1NP": (("N-terminal propeptide of type I procollagen",), ("I型前胶原N端前肽",)),
})
KNOWN_CASES = [
    # (text, short, long_en, long_zh)
    ("Runt-related transcription factor 2 (Runx2) drives osteogenesis.", "Runx2", "Runt-related transcription factor 2", None),
    ("成骨分化需要核心结合因子α1(Runx2)的参与。", "Runx2", None, "核心结合因子α1"),
    ("Platelets release serotonin (5-HT) at the injury site.", "5-HT", None, None),  # a synonym, not a spelling
    ("Serum 17-beta-estradiol (E2) fell after ovariectomy.", "E2", "17-beta-estradiol", None),  # locant kept
    ("Neurons were treated with GM1 ganglioside (GM1) daily.", "GM1", None, None),
    ("Cells were treated with a runt-related inhibitor (Runx2) daily.", "Runx2", None, None),
    # initials out of order: a marker name reordered in English
    ("Teriparatide raised N-terminal propeptide of type I procollagen (P1NP) within weeks.", "P1NP",
     "N-terminal propeptide of type I procollagen", None),
]
# Left edge of the Chinese long form: words before the term proper are trimmed unless the short
# form or the English long form expresses them; Latin prefixes and trailing codes are kept.
ZH_EDGE_CASES = [
    # (rule, text, long_zh)
    ("species", "实验观察豚鼠外毛细胞（OHCs）的损伤。", "外毛细胞"),
    ("species kept by short form", "分离小鼠胚胎成纤维细胞（MEFs）培养。", "小鼠胚胎成纤维细胞"),
    ("species kept by English", "体外培养鸡胚成纤维细胞（chicken embryo fibroblasts, CEFs）。", "鸡胚成纤维细胞"),
    ("species not in English", "体外培养鸡成骨细胞（osteoblasts, OBs）。", "成骨细胞"),
    ("sample", "检测血清骨钙素（osteocalcin, OCN）水平。", "骨钙素"),
    ("sample kept by short form", "检测血清淀粉样蛋白A（SAA）水平。", "血清淀粉样蛋白A"),
    ("urine sample", "测定尿脱氧吡啶啉（DPD）排出量。", "脱氧吡啶啉"),
    ("population", "纳入成人生长激素缺乏症（GHD）30例。", "生长激素缺乏症"),
    ("population kept by short form", "成人呼吸窘迫综合征（ARDS）病死率高。", "成人呼吸窘迫综合征"),
    ("verb 行", "患者行全膝关节置换术（TKA）后疼痛减轻。", "全膝关节置换术"),
    ("verb 开展", "我科开展富血小板血浆（platelet-rich plasma, PRP）注射治疗。", "富血小板血浆"),
    ("preposition 经", "患儿经静脉注射免疫球蛋白（IVIG）治疗。", "静脉注射免疫球蛋白"),
    ("经 kept by short form", "经皮椎体成形术（PVP）可缓解疼痛。", "经皮椎体成形术"),
    ("section label 方法", "方法骨髓间充质干细胞（BMSCs）经诱导后移植。", "骨髓间充质干细胞"),
    ("section label 结论", "结论双膦酸盐（bisphosphonates, BPs）可降低骨折风险。", "双膦酸盐"),
    ("time word after a count", "随访6个月后骨密度（BMD）明显升高。", "骨密度"),
    ("time word 后", "术后骨密度（bone mineral density, BMD）下降。", "骨密度"),
    ("后 kept by short form", "绝经后骨质疏松症（PMOP）多见于老年女性。", "绝经后骨质疏松症"),
    ("后 inside an anatomical term", "颈椎后纵韧带骨化（OPLL）可压迫脊髓。", "颈椎后纵韧带骨化"),
    ("在…过程中", "在骨折愈合过程中骨形态发生蛋白（BMP）持续表达。", "骨形态发生蛋白"),
    ("在…中", "在软骨下骨中骨髓间充质干细胞（BMSCs）数量增加。", "骨髓间充质干细胞"),
    ("reporting hospital", "某院骨科手术部位感染（SSI）的发生率。", "骨科手术部位感染"),
    ("class noun before a compound", "加入NF-κB抑制剂吡咯烷二硫代氨基甲酸（PDTC）孵育。", "吡咯烷二硫代氨基甲酸"),
    ("class noun ending a term", "并检测基质金属蛋白酶组织抑制剂1（TIMP1）的表达。", "基质金属蛋白酶组织抑制剂1"),
    ("modifier not in English", "先天性冠状动脉瘘（coronary artery fistula, CAF）较少见。", "冠状动脉瘘"),
    ("course of a disease not in the short form", "。急性脊髓损伤（SCI）后运动功能丧失。", "脊髓损伤"),
    ("course of a disease in the short form", "。急性肾损伤（AKI）的发生率升高。", "急性肾损伤"),
    ("modifier in English", "先天性胫骨假关节（congenital pseudarthrosis of the tibia, CPT）较少见。", "先天性胫骨假关节"),
    ("class before a member", "趋化因子基质细胞衍生因子1（stromal cell-derived factor 1, SDF-1）可招募干细胞。", "基质细胞衍生因子1"),
    ("class opening a term", "细胞因子信号转导抑制因子3（suppressor of cytokine signaling 3, SOCS3）表达升高。",
     "细胞因子信号转导抑制因子3"),
    ("English first code anchors", "天冬氨酸蛋白酶β-位淀粉样前体蛋白裂解酶（β-site amyloid precursor protein cleaving enzyme, BACE）",
     "β-位淀粉样前体蛋白裂解酶"),
    ("Latin prefix from English", "并激活c-Jun氨基末端激酶（c-Jun N-terminal kinase, JNK）通路。", "c-Jun氨基末端激酶"),
    ("Latin prefix from short form", "阻断FGF-FGF受体（FGFR）信号。", "FGF受体"),
    ("isotope prefix", "采用3H-胸腺嘧啶核苷（3H-TdR）掺入法。", "3H-胸腺嘧啶核苷"),
    ("Greek trailing code", "抑制糖原合酶激酶3β（glycogen synthase kinase 3β, GSK-3β）的活性。", "糖原合酶激酶3β"),
    ("bound rest keeps qualifier", "人源化单克隆抗体（MAB）已用于治疗。", "人源化单克隆抗体"),
    ("scale head after the bracket", "采用视觉模拟(VAS)评分评价疼痛。", "视觉模拟评分"),
    ("no head when the letters disagree", "测定骨密度(BMD)指数变化。", "骨密度"),
    ("clause adverb and preposition", "首先根据最大似然估计（maximum likelihood estimation, MLE）计算。", "最大似然估计"),
    ("基于", "本文基于有限元分析（FEA）模拟椎体受力。", "有限元分析"),
    ("locative 条件下", "在缺氧条件下缺氧诱导因子1α（HIF-1α）表达上调。", "缺氧诱导因子1α"),
    ("after a temperature", "在37℃时碱性磷酸酶（alkaline phosphatase, ALP）活性最高。", "碱性磷酸酶"),
    ("short form's Greek code anchors", "加入增溶剂β-环糊精（β-CD）混合。", "β-环糊精"),
    ("verb 扩增", "用PCR扩增骨钙素（OC）基因片段。", "骨钙素"),
    ("count of kinds", "比较了三种亚格子（SGS）模型。", "亚格子"),
    ("向量 is not 向", "采用最小二乘支持向量机（LS-SVM）分类。", "最小二乘支持向量机"),
    ("等离子 is not 等", "用等离子体增强化学气相沉积（PECVD）制膜。", "等离子体增强化学气相沉积"),
    ("对- as para-", "研究对乙酰氨基酚（APAP）的肝毒性。", "对乙酰氨基酚"),
    ("superlative not in short form", "女性在30岁左右达到最高骨密度（BMD）。", "骨密度"),
    ("superlative in short form", "测定最低抑菌浓度（MIC）。", "最低抑菌浓度"),
    ("route verb", "术后口服对乙酰氨基酚（APAP）镇痛。", "对乙酰氨基酚"),
    ("route in the short form", "长期口服避孕药（OC）者。", "口服避孕药"),
    ("Roman capital ends the term", "检测胰岛素样生长因子-I(IGF-I)水平。", "胰岛素样生长因子-I"),
    ("count with a counter", "样本分为两份，另一份经异硫氰酸荧光素（FITC）标记。", "异硫氰酸荧光素"),
    ("verb before a one-character suffix", "此外采用酶联免疫吸附测定法（ELISA）检测。", "酶联免疫吸附测定法"),
    ("unit after a number", "采用1.5 T磁共振成像（MRI）检查腰椎。", "磁共振成像"),
    ("结合 as a verb", "结合双能X线吸收测定法（DXA）评估骨量。", "双能X线吸收测定法"),
    ("结合 inside a term", "检测维生素D结合蛋白（DBP）水平。", "维生素D结合蛋白"),
    ("作 as a verb", "以胶原作引导骨再生膜（GBRM）使用。", "引导骨再生膜"),
    ("受 as a passive, 受体 kept", "骨量受雌激素受体α（ERα）调控。", "雌激素受体α"),
    ("verb before a bare head", "采用粒子群优化算法（PSO）求解参数。", "粒子群优化算法"),
    ("evaluation verb before a bare head", "建立了骨折风险评价函数（FRF）。", "骨折风险评价函数"),
    ("verb 引入", "通过引入聚乙二醇（PEG）修饰支架表面。", "聚乙二醇"),
    ("按 and 我国", "按我国骨质疏松诊疗指南（GDOP）要求诊断。", "骨质疏松诊疗指南"),
    ("sample not in English before 中", "测定尿液中羟脯氨酸（hydroxyproline, HYP）含量。", "羟脯氨酸"),
    ("run-in heading wraps", "4.2  骨折模型  实验采用的大鼠属自发性高血\n压大鼠（spontaneously hypertensive rats, SHR）。",
     "自发性高血压大鼠"),
    ("title line", "骨质疏松症药物治疗进展\n双膦酸盐（BPs）是一线药物，可抑制骨吸收，降低椎体和非椎体骨折风险，长期使用需评估获益。",
     "双膦酸盐"),
    ("modal + effect verb", "干细胞移植后可提高骨密度（BMD）。", "骨密度"),
    ("modal + adverb + effect verb", "该药能够显著降低肿瘤坏死因子α（TNF-α）水平。", "肿瘤坏死因子α"),
    ("adverb + effect verb", "补充维生素D明显改善视觉模拟评分（VAS）。", "视觉模拟评分"),
    ("功能 is a noun, not a modal", "术后采用膝关节功能改善评分（KFIS）随访。", "膝关节功能改善评分"),
    ("arm word", "结果显示治疗组碱性磷酸酶（ALP）活性升高。", "碱性磷酸酶"),
    ("dose arm word", "高剂量组骨形态发生蛋白2（BMP-2）表达最高。", "骨形态发生蛋白2"),
    ("arm word with species", "模型组大鼠血清骨钙素（OCN）降低。", "骨钙素"),
    ("training arm", "运动训练组骨形成蛋白2（BMP-2）表达上调。", "骨形成蛋白2"),
    ("arm named by a letter", "结果A组骨密度（BMD）高于其余各组。", "骨密度"),
    ("arm named by cells", "支架+BMSCs组碱性磷酸酶（ALP）活性最高。", "碱性磷酸酶"),
    ("组织 after a code is no arm", "患者均检测HLA组织相容性抗原（HLA-B27）。", "HLA组织相容性抗原"),
    ("基因组 is no arm", "开展全基因组关联研究（GWAS）筛选位点。", "全基因组关联研究"),
    ("wrapped line", "本研究采用人骨髓间充质干细胞，诱导其向成骨细胞分化，并检测人骨髓间充\n质干细胞（hBMSCs）的增殖情况。",
     "人骨髓间充质干细胞"),
]
# English long forms damaged by conversion: LaTeX Greek letters and dropped spaces.
LATEX_CASES = [
    (r"latent transforming growth factor $\beta$", "latent transforming growth factor β"),
    (r"TGF- $_ { \cdot \beta 1 }$", "TGF-β1"),
    (r"$\alpha$ -smooth muscle actin", "α-smooth muscle actin"),
    (r"$ \mathrm { P < 0 . 0 5 } $", r"$ \mathrm { P < 0 . 0 5 } $"),
]
GLUE_VOCABULARY = frozenset("central nervous system protein kinase stem cells spinal cord cyclic human umbilical "
                            "heart nuclear factor menopausal core binding polyethylene glycol post osteo arthritis".split())
GLUE_CASES = [
    ("centralnervoussystem", "central nervous system"),
    ("proteinkinaseA", "protein kinase A"),
    ("cyclicAMP", "cyclic AMP"),
    ("microRNAs", "microRNAs"),
    ("adipose-derived stemcells", "adipose-derived stem cells"),
    ("humanumbilical cord", "human umbilical cord"),
    ("postmenopausal osteoporosis", "postmenopausal osteoporosis"),
    ("nuclear factor kappaB", "nuclear factor kappaB"),
    ("Heartless", "Heartless"),
    ("corebinding factor", "core binding factor"),
    ("polyethyleneglycol", "polyethylene glycol"),
    ("osteoarthritis", "osteoarthritis"),
    ("osteoarthritis", "osteoarthritis"),
]
HEAD_NOUN_CASES = [
    ("神经损伤后雪旺细胞（Schwann，SCs）增殖。", "SCs", "Schwann cells"),
    ("睾丸间质细胞（Leydig，LCs）分泌睾酮。", "LCs", "Leydig cells"),
    ("破骨细胞（osteoclasts, OCs）吸收骨。", "OCs", "osteoclasts"),
    ("Myelin is made by Schwann cells (SCs) in nerves.", "SCs", "Schwann cells"),
]
LINE_BREAK_CASES = [
    ("glucocorticoid- induced osteoporosis", "glucocorticoid-induced osteoporosis"),
    ("bone mar-\nrow stromal cells", "bone marrow stromal cells"),
    ("parathy-roid hormone", "parathyroid hormone"),
    ("mechanical stimula-tion", "mechanical stimulation"),
    ("dose-dependent increase", "dose-dependent increase"),
    ("骨髓间充\n质干细胞", "骨髓间充质干细胞"),
    ("TGF- ·β1", "TGF-β1"),
]
# fmt: on


def _one(text: str):
    found = find_definitions(text)
    assert len(found) == 1, f"expected one definition in {text!r}, got {found}"
    return found[0]


@pytest.mark.parametrize("text,short,long_en,long_zh,form", PARENTHETICAL_CASES)
def test_abbreviations_finds_parenthetical_definition(text, short, long_en, long_zh, form):
    d = _one(text)
    assert (d.short, d.long_en, d.long_zh, d.form) == (short, long_en, long_zh, form)


@pytest.mark.parametrize("text,short,long_en,long_zh,form", PARENTHETICAL_CASES)
def test_abbreviations_offsets_point_at_short_form(text, short, long_en, long_zh, form):
    d = _one(text)
    assert d.start == text.rindex(short)  # the short form may also open its long form (LDL-cholesterol)
    assert text[d.start:d.end] == short


@pytest.mark.parametrize("text,expected", GLOSSARY_CASES)
def test_abbreviations_reads_glossary_lines(text, expected):
    found = find_definitions(text)
    assert [(d.short, d.long_en, d.long_zh) for d in found] == expected
    assert all(d.form == "glossary" and text[d.start:d.end] == d.short for d in found)


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_abbreviations_rejects_non_definitions(text):
    assert find_definitions(text) == []


@pytest.mark.parametrize("raw,repaired", LINE_BREAK_CASES)
def test_abbreviations_repairs_line_breaks(raw, repaired):
    assert repair_line_breaks(raw) == repaired


@pytest.mark.parametrize("rule,text,long_zh", ZH_EDGE_CASES, ids=[c[0] for c in ZH_EDGE_CASES])
def test_abbreviations_chinese_long_form_edges(rule, text, long_zh):
    assert _one(text).long_zh == long_zh


def test_abbreviations_bare_head_noun_is_not_a_long_form():
    # '受体' alone names no concept: without a prefix to extend it over, no definition.
    assert find_definitions("并与其受体（FGFR）结合。") == []


@pytest.mark.parametrize("raw,clean", LATEX_CASES)
def test_abbreviations_delatex_greek_letters(raw, clean):
    assert delatex(raw) == clean


def test_abbreviations_latex_short_and_long_form_in_a_bracket():
    text = r"转化生长因子(transforming growth factor- $_ { \cdot \beta 1 }$ ，TGF- $_ { \cdot \beta 1 }$ )被激活。"
    d = _one(text)
    assert (d.short, d.long_en, d.long_zh) == ("TGF-β1", "transforming growth factor-β1", "转化生长因子")
    assert text[d.start:d.end].startswith("TGF-")


@pytest.mark.parametrize("glued,spaced", GLUE_CASES)
def test_abbreviations_unglue_long_form(glued, spaced):
    assert unglue(glued, GLUE_VOCABULARY) == spaced


def test_abbreviations_glued_long_form_split_with_the_papers_own_words():
    # 'central', 'nervous', 'system' occur twice on their own; the glued form occurs once.
    text = ("The central nervous system was examined. Injury to the central nervous system is severe. "
            "中枢神经系统（centralnervoussystem，CNS）损伤。")
    d = [d for d in find_definitions(text) if d.short == "CNS"][0]
    assert unglue("centralnervoussystem", frozenset()) == "centralnervoussystem"
    assert (d.long_en, d.long_zh) == ("central nervous system", "中枢神经系统")


def test_abbreviations_known_chinese_name_of_the_english_long_form():
    lexicon = Lexicon(zh_by_en={"spinalcordinjury": ("脊髓损伤",), "bonemineraldensity": ("腰椎骨密度", "骨密度")})
    text = "外伤性脊髓损伤（spinal cord injury, SCI）患者的腰椎骨密度（bone mineral density, BMD）下降。"
    found = {d.short: d.long_zh for d in find_definitions(text, lexicon)}
    assert found == {"SCI": "脊髓损伤", "BMD": "腰椎骨密度"}
    assert {d.short: d.long_zh for d in find_definitions(text)}["SCI"] == "外伤性脊髓损伤"


@pytest.mark.parametrize("text,short,long_en,long_zh", KNOWN_CASES)
def test_abbreviations_known_short_form_defined_by_a_name_of_its_concept(text, short, long_en, long_zh):
    found = [d for d in find_definitions(text, KNOWN_LEXICON) if d.short == short]
    if long_en is None and long_zh is None:
        assert found == []
        return
    assert [(d.long_en, d.long_zh) for d in found] == [(long_en, long_zh)]
    assert find_definitions(text) == []  # without the tables the letters alone do not vouch for it


def test_abbreviations_lexicon_skips_ambiguous_and_shared_short_forms():
    from types import SimpleNamespace

    def row(cid, alias, lang):
        return {"concept_id": cid, "alias": alias, "lang": lang}
    rules = SimpleNamespace(
        aliases=[row("C_A", "AAA", "abbr"), row("C_A", "alpha alpha alpha", "en"), row("C_A", "甲甲甲", "zh"),
                 row("C_B", "BB", "abbr"), row("C_C", "BB", "abbr"), row("C_D", "OP", "abbr")],
        concepts={}, ambiguous=[{"short": "OP"}])
    lexicon = lexicon_from_rules(rules)
    assert lexicon.names_by_short == {"AAA": (("alpha alpha alpha",), ("甲甲甲",))}


@pytest.mark.parametrize("text,short,long_en", HEAD_NOUN_CASES)
def test_abbreviations_english_head_noun_restored(text, short, long_en):
    d = _one(text)
    assert (d.short, d.long_en) == (short, long_en)


def test_abbreviations_short_form_across_line_break():
    text = "功能性电刺激踏车 (functional electrical stimulation cycling，FES-\nCE)训练"
    d = _one(text)
    assert (d.short, d.long_en, d.long_zh) == ("FES-CE", "functional electrical stimulation cycling", "功能性电刺激踏车")
    assert text[d.start:d.end] == "FES-\nCE"


@pytest.mark.parametrize("candidate,ok", [
    ("MSCs", True), ("IL-1β", True), ("TGF-β1", True), ("hUC-MSCs", True), ("EG", True),
    ("P<0.05", False), ("n = 10", False), ("12", False), ("e.g.", False), ("iv", False), ("mg", False),
    ("骨密度", False), ("10 mg", False),
])
def test_abbreviations_short_form_filter(candidate, ok):
    assert is_short_form(candidate) is ok


def test_abbreviations_chinese_boundary_stops_at_verbs_and_function_words():
    text = "结果表明去卵巢骨质疏松（ovariectomized osteoporosis, OVX-OP）大鼠骨量下降，并提高了碱性磷酸酶（alkaline phosphatase, ALP）活性。"
    found = {d.short: d.long_zh for d in find_definitions(text)}
    assert found == {"OVX-OP": "去卵巢骨质疏松", "ALP": "碱性磷酸酶"}


def test_abbreviations_chinese_terms_with_latin_letters_in_a_list():
    text = "P 物质(SP)、神经肽 Y (NPY)和血管活性肠肽(VIP)均有表达。"
    found = [(d.short, d.long_zh) for d in find_definitions(text)]
    assert found == [("SP", "P 物质"), ("NPY", "神经肽 Y"), ("VIP", "血管活性肠肽")]


@pytest.mark.parametrize("text,long_zh", [
    ("2.4 运动疗法\n\n全身振动训练（whole body vibration training, WBVT）可增加骨量。", "全身振动训练"),
    ("3.1  原发性骨质疏松  绝经后骨质疏松 （postmenopausal osteoporosis, PMOP）多见。", "绝经后骨质疏松"),
    ("目前骨髓间充\n质干细胞（bone marrow mesenchymal stem cells, BMSCs）应用广泛。", "骨髓间充质干细胞"),
])
def test_abbreviations_chinese_term_stops_at_headings_and_layout_gaps(text, long_zh):
    assert _one(text).long_zh == long_zh


def test_abbreviations_weak_verbs_stay_inside_long_terms():
    # 调节 and 激活 build terms; the English long form says the term is longer than '激酶'.
    text = "并影响细胞外信号调节激酶(extracellular signal-regulated kinase, ERK)和丝裂原激活蛋白激酶(mitogen-activated protein kinase, MAPK)。"
    found = {d.short: d.long_zh for d in find_definitions(text)}
    assert found == {"ERK": "细胞外信号调节激酶", "MAPK": "丝裂原激活蛋白激酶"}


def test_abbreviations_chinese_boundary_keeps_nominal_compounds():
    # 抑制 is a verb, but 抑制剂 (inhibitor) is a noun: the term is not cut inside it.
    d = _one("蛋白酶体抑制剂(PI)可减少骨吸收。")
    assert d.long_zh == "蛋白酶体抑制剂"


def test_abbreviations_merges_zh_and_en_definitions_of_one_short_form():
    text = "骨关节炎（OA）是关节疾病。Osteoarthritis (OA) is common. 骨关节炎（OA）再次出现。"
    rows = merge_definitions(find_definitions(text))
    assert [(r.short, r.long_en, r.long_zh, r.start, r.form) for r in rows] == [
        ("OA", "Osteoarthritis", "骨关节炎", text.index("OA"), "zh_short")]


def test_abbreviations_merges_english_forms_that_differ_in_plural_and_spacing():
    text = ("Bone morphogenetic proteins 2 (BMP2) induce bone. "
            "骨形态发生蛋白2（bone morphogenetic protein2，BMP2）诱导成骨。Bone marrow (BM) and bone mass (BM) differ.")
    rows = merge_definitions(find_definitions(text))
    assert [(r.short, r.long_en, r.long_zh) for r in rows] == [
        ("BMP2", "Bone morphogenetic proteins 2", "骨形态发生蛋白2"), ("BM", "Bone marrow", None), ("BM", "bone mass", None)]


# One short form written twice in a paper: (text, expected rows as (short, long_en, long_zh)).
# fmt: off
NEAR_DUPLICATE_CASES = [
    ("typo in the English, fuller row wins",
     "Fat yields adipose derived stem cels (ADSCs). 脂肪来源干细胞（adipose-derived stem cells, ADSCs）成骨。",
     [("ADSCs", "adipose-derived stem cells", "脂肪来源干细胞")]),
    ("extra letter, the paper's repeated word wins over the fuller row's",
     "细胞外基质（extracellular matrixc, ECM）重塑。Cells build the matrix and the matrix ages.\n"
     "Abbreviations: ECM, extracellular matrix; BMD, bone mineral density.",
     [("ECM", "extracellular matrix", "细胞外基质"), ("BMD", "bone mineral density", None)]),
    ("variant spelling, the rule tables' word wins",
     "Bone morphogenic protein (BMP) acts early. 骨形态发生蛋白（bone morphogenetic protein, BMP）诱导成骨。",
     [("BMP", "bone morphogenetic protein", "骨形态发生蛋白")]),
    ("Chinese cut off before its code",
     "转化生长因子（TGF-β1）升高。转化生长因子β1（transforming growth factor-β1, TGF-β1）促进软骨修复。",
     [("TGF-β1", "transforming growth factor-β1", "转化生长因子β1")]),
    ("two deliberate spellings stay apart",
     "Cells carry the prolactin receptor (PRLR). Binding to the PRL receptor (PRLR) needs the receptor dimer.",
     [("PRLR", "prolactin receptor", None), ("PRLR", "PRL receptor", None)]),
    ("two meanings stay apart",
     "Membranes hold phosphatidylcholine (PC). Men with prostate cancer (PC) were excluded.",
     [("PC", "phosphatidylcholine", None), ("PC", "prostate cancer", None)]),
    ("a qualifier makes another term",
     "骨髓间充质干细胞（MSCs）增殖。间充质干细胞（mesenchymal stem cells, MSCs）分化。",
     [("MSCs", None, "骨髓间充质干细胞"), ("MSCs", "mesenchymal stem cells", "间充质干细胞")]),
]
# fmt: on


@pytest.mark.parametrize("rule,text,expected", NEAR_DUPLICATE_CASES)
def test_abbreviations_merges_near_duplicate_long_forms(rule, text, expected):
    lexicon = Lexicon(english_words=frozenset({"bone", "morphogenetic", "protein", "stem", "cells"}))
    rows = paper_definitions(text, lexicon)
    assert [(r.short, r.long_en, r.long_zh) for r in rows] == expected


def test_abbreviations_keeps_conflicting_definitions_apart():
    text = "骨髓间充质干细胞（MSCs）增殖。间充质干细胞（mesenchymal stem cells, MSCs）分化。"
    rows = merge_definitions(find_definitions(text))
    assert [(r.long_en, r.long_zh) for r in rows] == [(None, "骨髓间充质干细胞"), ("mesenchymal stem cells", "间充质干细胞")]


def test_abbreviations_stage_sets_document_field(make_doc):
    text = "骨关节炎（osteoarthritis, OA）常见。Bone mineral density (BMD) fell."
    doc = build(Config())(make_doc(text))
    rows = {a.short: a for a in doc.abbreviations}
    assert set(rows) == {"OA", "BMD"}
    assert rows["OA"].sent_id == 0 and rows["BMD"].sent_id == 1
    assert rows["OA"].form == "zh_en_short" and rows["OA"].concept_id is None
    assert text[rows["BMD"].start:rows["BMD"].end] == "BMD"


def test_abbreviations_stage_without_sentences_uses_minus_one(make_doc):
    doc = build(Config())(make_doc("Bone mineral density (BMD) fell.", sentences=[]))
    assert [(a.short, a.sent_id) for a in doc.abbreviations] == [("BMD", -1)]


def _bench():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_abbrev.py"
    spec = importlib.util.spec_from_file_location("bench_abbrev", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_abbreviations_zh_probe_f1(shared_dir):
    bench = _bench()
    result = bench.score(bench.load_corpus("zh_probe", shared_dir), bilingual=True)
    assert result["F1"] >= 0.9, result


def test_abbreviations_medstract_f1(shared_dir):
    bench = _bench()
    result = bench.score(bench.load_corpus("medstract", shared_dir), bilingual=False)
    assert result["F1"] >= 0.9, result
