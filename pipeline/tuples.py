"""Study → intervention → outcome tuples.

Sets ``Document.tuples`` and ``Document.studies``.

Every claim the paper makes about a study becomes one :class:`StudyTuple` per
(study, intervention, outcome): a direction cue (``明显增加``, ``抑制``, ``reduced``,
``无显著变化`` …) is found in a clause, the outcome is the noun phrase the cue governs
(before a predicate cue, after a verb cue), coordinated outcomes (``A、B和C均增加``)
are split, negation turns a change into ``no_change``, and the claim is attributed to the
citation that governs the clause (an author cue ``陶晖等[31]`` opens a study that carries
over to the following sentences; a trailing marker ``…[8]。`` closes the clauses before
it). The intervention is the clause's own subject (``雌激素可以抑制…``), else the
treatment the study applied (object of ``移植/注射/输注…``), else the exposure of the
studied population (``SCI 小鼠`` → SCI). Table rows become tuples with ``source='table'``.
A marker closing a sentence also governs its earlier semicolon clauses (and a table row's earlier
sentences); a demonstrative subject (``这种疗法``) refers back to the paragraph's last treatment.
English cited claims (``Smith et al. [4] showed that MSCs increased bone formation``) take the agent
after the reporting frame (:func:`en_agent`: the subject NP, the object of ``dose of/treatment with``,
the modifier of ``X-treated``, or a passive ``by`` agent) and the verb's object NP as the outcome;
relative-clause fragments (``who reported a``), pronoun-only agents and reporting verbs are rejected;
coordinated verbs (``promoted X and attenuated Y``) each keep their object and share the subject.

Claims without a classic change verb are read too: association statements (``A 与 B减少有关``; negated
``A 与 B 没有显著的关系`` is ``no_change``), effects stated as nouns (``X对Y有抑制作用``, ``发挥…保护作用``),
measured shares (``X的比例为 98%``), cited titles in review tables (``X治疗Y``) and, in English trial
results, two arm values with a significant p-value. Across sentences, a pronoun (``它``, ``It``) or a
subjectless consequence clause (``因此，可以改善…``) refers to the paragraph's topic treatment; a paragraph
that opens on a referring cue (``他们``, ``The authors``) keeps the carried study, and a summary sentence
(``以上研究表明``, ``Taken together``) ends it.

An original article (one with a methods part: ``材料与方法``, ``Methods``, or a structured abstract; or a
bare abstract of a non-review with statistics) also reports its own study: sentences of its results section and of the abstract's results part
give tuples with ``study_id='self'`` and no refs, whose intervention is the treated group the
sentence names (``MSC组``, ``in the MSC group``) or else the treatment in the paper's title.

Precision guards (tried on unseen papers, QA2): an outcome is never an arm name (``BMP9 组``, ``the X
group``; a leading ``与 X 组相对比`` is cut off), clause debris (``…的同时``, ``…作为一种有效``, ``随着…``), the
treatment restated or a span running up to it (``模型中移植ADSCs``), or one bare English non-measure word
(``occurrence``, ``towards``); adverb tails (``得以``, ``同样``) are cut. An intervention is never a set of
animals (``部分大鼠``), a demonstrative remnant (``现这些``) or the injured tissue (``损伤的坐骨神经``). English
clauses describing participants (baseline, demographic, excluded participants, placebo-arm prognosis)
give no claims; a prevented change noun flips (``avoided the decrease in Hb`` → Hb increase). English
spans end on word boundaries, and a Chinese outcome's concept is its head-final process, not the cell
before it (``MSCs成骨分化`` → osteogenic differentiation).

Referring and setting words are resolved before a tuple is written (session 3, unseen papers): a class word in the
agent slot (``the intervention``, ``treatment``, ``该药物``; cues.tsv ``intervention_head`` = ``generic``) takes the
treatment named before in the paragraph or is dropped (and dropped outright when it heads a blocker, ``抗体阻断剂``);
an arm label (``group I``, ``the treatment arm``, ``A组``) takes the treatment the methods define for that arm; a disease
model or inducer (``去卵巢``, ``OVX mice given X``) gives way to the treatment the sentence applies unless the model is
the clause's own subject or cause; two treatments compared in one sentence (``receiving A or B``) make A the agent.
English association statements (``A was associated with an increased risk of B``, ``no association between A and
B``), multiplicative changes (``doubled the risk``), chances (``more likely to X``) and intransitive changes in a
treated population (``increase in patients treated with X``) are read as claims; baseline comparability (``before the
study there were no differences``, ``治疗前两组…无明显差异``) is not, and a change withdrawn by a later clause (``but the
differences were not statistically significant``) is ``no_change``.

All vocabulary lives in ``rules/cues.tsv``; the stage works without sentences,
citations or mentions from earlier stages (it then uses small fallbacks) and uses them
when present (mentions give concept ids and preferred names).

References:
    Lehman et al. 2019, "Inferring Which Medical Treatments Work from Reports of
    Clinical Trials" (Evidence Inference): intervention/comparator/outcome → direction.
    Chapman et al. 2001 (NegEx) and Harkema et al. 2009 (ConText): negation triggers
    with a scope window.
    Schulz et al. 2010, "CONSORT 2010 Statement" (arm descriptions, baseline data, outcomes with significance).
    von Elm et al. 2007, "The STROBE Statement" (exposure-outcome associations of observational studies).
    Mitkov 2002, "Anaphora Resolution" (definite descriptions resolved to the nearest compatible antecedent).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pipeline.config import Config
from pipeline.rules import Rules, load_rules
from pipeline.types import Citation, Document, Mention, Sentence, Study, StudyTuple, Table

# Clause punctuation (full- and half-width). Commas inside parentheses do not end a clause:
# '白细胞介素 6（interleukin 6, IL-6）和 OCN 含量均显著升高'.
CLAUSE_PUNCT = "，,；;。！？!?：:\t"
SENTENCE_PUNCT = "。！？!?；;"
# A semicolon joins clauses of one sentence (现代汉语 标点符号用法 GB/T 15834-2011, 分号): the segmenter
# splits there, but a citation at the end of the full sentence covers every semicolon clause before it,
# and the subject of the first clause carries into the following ones.
CLAUSE_JOINERS = ("；", ";")
OPEN_PARENS = "(（[【"
CLOSE_PARENS = ")）]】"
# Coordinators that join outcomes of one cue: '骨密度、骨小梁数目和皮质厚度均增加'.
ZH_COORD = ("以及", "、", "和", "及", "与", "并")
EN_COORD = re.compile(r",\s*(?:and|or)\s+|\s+and\s+|\s+or\s+|,\s*", re.I)
# Particles between a verb cue and its object: '促进了血管生成', '恢复至正常水平'.
ZH_VERB_PARTICLES = "了着到至出"
# An object that starts with these is not a noun phrase ('增加的', '降低后').
ZH_NOT_NP_START = "的地得后时前"
# '增加中' (in the course of) is no NP either, but 中 also opens nouns: 中性粒细胞, 中枢, 中药.
ZH_NOT_NP_START_RE = re.compile(r"\s*中(?![性枢药心层医央间])")
# Heads that end an object phrase: '通过增加RANKL受体的表达来抑制…' (purpose clause).
ZH_OBJECT_STOPS = ("来", "从而", "进而", "以", "而", "使", "达到", "至正常", "恢复至", "是")
# Comparatives: '较对照组低' (实用现代汉语语法, 比较句). The comparator is at most
# MAX_COMPARATOR_CHARS characters.
ZH_COMPARATIVE_ADJ = {"低": "decrease", "少": "decrease", "小": "decrease", "差": "worsen",
                      "高": "increase", "多": "increase", "大": "increase", "好": "improve", "强": "increase",
                      "弱": "decrease", "快": "increase", "慢": "decrease"}
MAX_COMPARATOR_CHARS = 10
ZH_COMPARATIVE_RE = re.compile(r"(?:较|比)[^，,；;。]{1,%d}?([%s])(?=[，,。；;、\s)）]|$|了|得|很|许多|一些)"
                               % (MAX_COMPARATOR_CHARS, "".join(ZH_COMPARATIVE_ADJ)))
# Predicate cues whose complement is the comparator, not the outcome: '表达量不足正常组的 50%'.
ZH_COMPARATIVE_CUES = ("不足", "超过")
# Words that end the object of an application verb: '移植含MSCs的骨髓治疗OI患儿', '注射到…'.
ZH_OBJECT_END = ("治疗", "到", "至", "进入", "入", "于", "后", "对", "构建", "以", "来")
# '经过LIPUS的BMSCs', '经 X 处理的细胞': the cells or animals treated with X (经/经过 + treatment + 的).
# 经 inside a word (神经, 已经, 曾经, 月经) is no preposition: 经 alone must open a word, 经过 must not follow 神.
ZH_TREATED_RE = re.compile(r"(?:(?<![神已曾月途])经过|(?<![\u4e00-\u9fff])经)\s*([^\s，,。；;的]{2,20}?)\s*(?:处理|刺激|作用|干预|治疗|诱导|培养)?\s*(?:后)?的")
# '接受了下肢活动治疗': 治疗 that closes the object's clause is the therapy's head, not a second verb
# ('移植含MSCs的骨髓治疗OI患儿' ends the object at 治疗 because a patient noun follows).
ZH_THERAPY_HEAD = "治疗"
# A causative verb ('使 X 增加', '使得', '令') takes the changed NP after it (实用现代汉语语法, 兼语句); 使用 is 'use'.
ZH_CAUSATIVE_RE = re.compile(r"(?:使得|使(?!用)|令)")
# '…后' ending a temporal clause ('治疗 8 周后'), not the 后 of 后肢/后代/后果/后续/后期.
ZH_AFTER_RE = re.compile(r"后(?![肢代果续期遗者])|(?<=[^同及])时(?![间期相程])")
# '抑制 MMP13 的表达': the measured quantity, not the outcome's name (the brief's '的表达/水平/活性').
ZH_MEASURE_SUFFIXES = ("的表达水平", "的表达量", "的表达", "的水平", "的含量", "的活性")
# The head noun after a parenthetical aside inside an 'of' phrase: 'number of deficient (41-80%) patients and …'.
EN_PAREN_HEAD_RE = re.compile(r"\s*\([^()]{1,30}\)\s+(?P<w>[A-Za-z][\w\-]*)(?=\s*(?:[,;.]|$)|\s+(?:and|or|were|was|who|"
                              r"in|at|by|than|compared|after|during)\b)", re.I)
# 'more likely to X', 'less likely to X': the comparative states the chance of X, the act after 'to' (Evidence
# Inference outcomes such as 'likelihood of meeting the target').
EN_LIKELY_RE = re.compile(r"\s+likely\s+to\s+(?:be\s+)?(?P<o>[A-Za-z][^,;()\[\]]{2,80}?)(?=\s*(?:[,;()\[\]]|\.(?:\s|$)|$)|"
                          r"\s+(?:than|compared|versus|vs)\b)", re.I)
# A count or rate without what it counts ('number', 'levels') names no outcome; 'loss' or 'expression' alone can.
EN_BARE_QUANTITIES = frozenset(("number", "numbers", "rate", "rates", "level", "levels", "ratio", "proportion",
                                "percentage", "amount"))
# A measure without what it measures ('蛋白表达量' left when '同样' cut the clause off its subject) names no outcome.
ZH_BARE_MEASURE_RE = re.compile(r"^(?:蛋白质?|mRNA|基因)?的?(?:表达量|表达水平|表达|水平|含量|活性|数量|数目)$")
# Pronouns and demonstratives: never an intervention or outcome by themselves.
ZH_PRONOUNS = ("它们", "他们", "她们", "它", "他", "她", "其", "该法", "该", "此", "这些", "这种", "这", "上述")
# The longest outcome phrase kept (characters); longer stretches are cut to the last
# MAX_OUTCOME_CHARS before the cue, which keeps the head noun.
MAX_OUTCOME_CHARS = 40
MIN_OUTCOME_CHARS = 1
MAX_INTERVENTION_CHARS = 30
# Mention labels that can name a treatment or the exposure a study compares (a cell therapy, a drug,
# a disease model such as OVX, a gene that is over-expressed, a stimulus such as 机械刺激).
INTERVENTION_LABELS = ("INTERVENTION", "CELL", "DISEASE", "MODEL", "GENE_PROTEIN")
# Adverbs that open a clause and are cut as its 'subject' ('严重降低…', '相反抑制…', '极大促进…'): never an
# agent (实用现代汉语语法, 程度副词/关联副词).
ZH_ADVERBS = ("严重", "相反", "极大", "主要", "同时", "进一步", "大大", "有效", "逐渐", "明显", "显著", "共同", "直接", "间接")
# Endings that make a phrase a place or a manner, not an agent: '细胞内', '细胞表面', '最大程度地'
# (方位词 and the adverbial 地, 实用现代汉语语法).
ZH_NOT_AGENT_ENDS = ("内", "外", "表面", "中", "上", "下", "之间", "地", "有效", "的")
# Mentions that can be the treatment object of an application verb ('BMCs移植', '注射 PTH').
TREATMENT_LABELS = ("INTERVENTION", "CELL", "GENE_PROTEIN")
# A transplanted/injected object named by a cell mention ('移植 ADSCs 到…') is the therapy even without
# an intervention head word; drugs are not accepted this way because the first drug a study injects
# is often the one that induces the model ('注射醋酸泼尼松龙建立 GIOP 模型').
APPLIED_OBJECT_LABELS = ("CELL",)
# An agent followed by 'induced … animals/model' ('碘酸盐诱导的OA大鼠', 'MIA-induced OA rats') is the
# chemical that made the disease model, not the treatment the claim is about (QA2 round 3, class 1).
INDUCER_AFTER_RE = re.compile(r"\s*(?:所?(?:诱导|致)的?[^，。；,]{0,12}?(?:模型|大鼠|小鼠|兔|动物)"
                              r"|[- ]induced\s+(?:[\w\-]+\s+){0,3}?(?:rats?|mice|mouse|rabbits?|models?|animals?)\b)")
# A comparison arm as the subject of a Chinese clause ('9周时对照组关节面出现软骨缺损'): what the untreated
# arm shows is no effect of the treatment. The arm is a subject when no comparison word precedes it
# (较/比/于/与/相对于 make it the baseline) and no 相比/比较 follows; a clause naming another arm
# ('实验组…，对照组…') is a contrast and is kept, and so is a control arm named after a change of the
# treated arm ('患者骨量增高，而对照组仅…') or owning a quantity ('不足正常组的50%') (CONSORT 2010: an
# effect is a between-arm difference).
ZH_CONTROL_SUBJECT_RE = re.compile(r"(?<![较比于与和及、同足])(?<!相对于)(?<!相较于)(?:对照组|空白组|空白对照组|假手术组|正常组|安慰剂组)"
                                   r"(?!\s*(?:相比|比较|相对比|对比|的))")
ZH_OTHER_ARM_RE = re.compile(r"(?<!对照)(?<!空白)(?<!假手术)(?<!正常)(?<!安慰剂)组(?![织成合分别])")
# A model mention that qualifies the animals ('ACLT小鼠', 'OVX rats', 'MIA诱导的大鼠') names the study's disease
# model, not what was done to it: it is the intervention only when the sentence contrasts it with a
# normal, sham or control arm (the model-versus-normal exposure of ZH_MODEL_ARM); otherwise the claim
# belongs to a treatment given to those animals and the model alone gives no tuple (QA2 round 3, class 1).
MODEL_SPECIES_GAP_RE = re.compile(r"\s*(?:诱导的?|致|所致的?|造模的?|-induced|induced|模型)?\s*")
# An abbreviation in capitals ('LMMS', 'SCI', 'CXCR4'): names a treatment even when no rule knows it.
ABBREVIATION_RE = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*(?![A-Za-z])")
# Modal verbs and 通过 end the subject of a clause ('淫羊藿苷可以…'); 能/可/会 inside a word
# (功能, 性能, 机能, 潜能, 认可, 机会, 协会) are not modals.
ZH_MODAL_RE = re.compile(r"(可以|可能|能够|(?<![功性机潜效技本智动])能|(?<![认许])可|(?<![机协学社理])会|通过|还可|也可|均可)")
# A heading names a part of an original article when its title, numbers and punctuation removed,
# is an own_study cue ('2 结果', '1 材料与方法', 'Results') or starts with one ('结果与分析').
HEADING_NUMBER_RE = re.compile(r"^[\s#*\d.．、()（）IVXivx]*")
# A structured-abstract label opens a sentence: '结果 与模型组比较…', '【结论】…', 'Results: BMD was…'.
ABSTRACT_LABEL_RE = re.compile(r"^[\s【\[〔(（]*(?:abstract\.)?([\u4e00-\u9fff]{2,5}|[A-Za-z][A-Za-z ]{2,24}?)[】\]〕)）]?\s*(?:[:：.]|\s|(?=[\u4e00-\u9fff]))", re.I)
# A review names itself in its title or first abstract lines (综述, 述评, 研究进展, 'a review'); an
# unstructured abstract that does not, and reports a statistical test (P<0.05, 差异有统计学意义,
# 显著, 'significantly'), reports the paper's own study (GB/T 7713.2-2022: 报道性摘要). 'This article reviews …'
# counts; 'records were reviewed' and 回顾性 do not (they name retrospective own studies).
REVIEW_RE = re.compile(r"综述|述评|进展|展望|概述|\breviews?\b|\boverview\b|\bsummari[sz]es\b|meta-analys", re.I)
STATISTIC_RE = re.compile(r"\bP\s*[<>=≤≥]\s*0?\.\d|显著|差异有(?:显著|统计学)?(?:性)?意义|统计学意义|\bsignificantly\b", re.I)
UNSTRUCTURED_HEAD_CHARS = 300
# A document this short with no headings and no abstract heading is an abstract on its own (a database
# export: title plus one paragraph; PubMed abstracts are limited to about 3,000-4,000 characters).
MAX_BARE_ABSTRACT_CHARS = 4000
# A label inside a sentence: abstracts whose parts are run together with half-width stops
# ('目的:…趋势.方法:…分析.结果:…增长.结论:…') reach this stage as one sentence. The label follows a
# stop and ends with a colon (GB/T 7713.2-2022 structured abstract labels; ICMJE labels).
INLINE_LABEL_RE = re.compile(r"(?<=[.。;；])\s*[【\[]?(?:([\u4e00-\u9fff]{2,5}?)[】\]]?(?=\s|[:：]|[^\u4e00-\u9fff])|"
                             r"([A-Z][A-Za-z ]{2,24}?)[】\]]?\s*[:：])")
# An English label of several words ended by a colon ('MATERIALS AND METHODS:', 'Main outcome measures:'):
# tried first, because the lazy label above stops at the first space ('MATERIALS').
EN_ABSTRACT_LABEL_RE = re.compile(r"^[\s\[(]*(?:abstract\.)?([A-Za-z][A-Za-z/ ]{2,40}?)\s*[:：]", re.I)
# A combined structured-abstract label has few words ('Research design and methods'); a longer run of
# words before a colon is a sentence, not a label.
MAX_COMBINED_LABEL_WORDS = 5
# The study a paper reports itself: no references, its own study id (gold README: claims of the
# paper's own results carry empty refs).
SELF_STUDY_ID = "self"
# Group names in a results sentence: 'MSC组骨密度…', '…in the MSC group'. A group whose name is a
# comparator ('模型组', 'control group') is the baseline, not the intervention.
ZH_GROUP_RE = re.compile(r"([A-Za-z0-9\u4e00-\u9fff/+\-]{1,16}?)\s*组(?![织成合分别])")
EN_GROUP_RE = re.compile(r"\b(?:in|of|for)\s+(?:the\s+)?([A-Za-z0-9/+\- ]{1,40}?)[- ](?:treated\s+)?(?:groups?|arms?)\b|"
                         r"\bgroup\s+((?-i:[A-Z0-9])[A-Za-z0-9.]{0,6}?)(?=[\s,;)]|\.\s|$)", re.I)
# Arm labels that name no treatment: the comparison arms and the generic labels of Chinese clinical
# papers (观察组/治疗组/试验组/研究组/干预组 vs 对照组); the paper's own treatment stands for them.
ARM_LABELS = ("control", "model", "sham", "each", "all", "two", "both", "实验", "各", "两", "每", "观察", "治疗",
              "试验", "研究", "干预", "实验", "treatment", "intervention", "experimental", "study")
# A Chinese arm name starts after the last comparison word, conjunction or adverb before 组, and one
# that ends in a quantifier (两组, 各组, 4个亚组) or is 同组 names no arm.
ZH_GROUP_NAME_CUT_RE = re.compile(r".*(?:于|较|比|与|和|及|、|均|显著|明显|患者)")
ZH_NOT_ARM_RE = re.compile(r"[两各每亚同]$|\d+个|^[后前]")
# A disease-model arm ('SIRS模型组', 'OVX模型组') compared with a normal arm: its exposure is the intervention.
ZH_MODEL_ARM = "模型"
# An English arm name stops at prepositions and comparison words, and never holds a verb
# ('in Group B compared to Group A' -> B; 'HRs was significantly lower in Group D0.3' -> D0.3).
EN_GROUP_NAME_CUT_RE = re.compile(r"\b(?:in|of|for|than|compared\s+(?:to|with)|versus|vs\.?|between|with|and)\s+", re.I)
EN_GROUP_NAME_VERB_RE = re.compile(r"\b(?:was|were|is|are|had|has|have|showed|obtained|extruded|received|did|been)\b", re.I)
# Before an attributive comparative: a determiner or a verb of having ('showed a lower incidence').
EN_ATTRIBUTIVE_BEFORE_RE = re.compile(r"(?:\b(?:a|an|the|showed|had|has|have|with|gained|lost|received|experienced|required|"
                                      r"achieved|reported|used|needed|consumed|but|and)|\bthere\s+(?:was|were)|^)\s+(?:\w+ly\s+)?$",
                                      re.I)
# The possession frame of an attributive comparative: 'X users had a higher risk of Y' (the subject before it is the agent).
EN_HAVE_FRAME_RE = re.compile(r"\s+(?:had|has|have|showed|shows|show|experienced|gained|achieved|required|needed)\s+"
                              r"(?:(?:a|an|the)\s+)?(?:\w+ly\s+)?$", re.I)
# Quantity comparatives that open a noun phrase ('Fewer deaths occurred …', 'There was less nausea but more
# mucositis'): they take the NP after them as the outcome even with no determiner before.
EN_QUANTITY_COMPARATIVES = ("fewer", "less", "more", "greater", "higher", "lower")
# A direction cue used as a noun ('showed a significant reduction in X', 'there were no significant
# differences between the groups regarding X'): its outcome is the prepositional object after it, not
# the subject before it ('There') nor the 'in X' phrase kept whole.
EN_NOUN_CUE_BEFORE_RE = re.compile(r"(?:\b(?:a|an|no|any|the|greater|larger|smaller)\s+(?:[\w\-%]+\s+){0,3}|"
                                   r"^\s*(?:whereas|while|and|but|with)\s+)$", re.I)
EN_NOUN_OBJECT_RE = re.compile(r"^s?\s*(?:\([^)]*\)\s*)?(?:(?:between|among|across|within)\s+[^,;()]{1,60}?\s+)?"
                               r"(?:in|regarding|of|for|on|with\s+respect\s+to|with\s+regard\s+to)\s+"
                               r"(?:the\s+|their\s+|its\s+)?([A-Za-z][\w\-/ ]{1,60}?)"
                               r"(?=\s+(?:in|of|by|after|at|between|among|compared|than|versus|vs|from|to|with|when|during|"
                               r"was|were|is|are|occurred|observed|seen|noted|found|remained|developed)\b|[,;.()]|$)", re.I)
# Words that open a predicate's subject without belonging to it: articles and the conjunction of a second
# clause ('Osteocalcin increased and CTX-I decreased' -> CTX-I).
EN_LEADING_JOINERS = {"the", "a", "an", "and", "but", "or", "whereas", "while", "then"}
# 'more/less' before a change verb grade it ('more reduced', 'less increased'): the verb is the cue.
EN_DEGREE_COMPARATIVES = ("more", "less")
EN_DEGREE_VERB_RE = re.compile(r"\s+(?:\w+ly\s+)?\w+(?:ed|en)\b", re.I)
# A phrase that ends in an arm word names a group of patients, not a measured quantity.
EN_ARM_WORD_RE = re.compile(r"\b(?:groups?|arms?|cohorts?|controls?|patients|participants|subjects)\s*$", re.I)
# A noun cue followed by a finite verb heads the subject noun phrase ('bone loss was smaller', 'weight gain
# did not differ'): the claim is the predicate's, and the cue is part of the outcome.
EN_NP_HEAD_CUE_RE = re.compile(r"\s+(?:\([^)]{0,40}\)\s+)?(?:was|were|is|are|did|had|has|have|remained|tended)\b", re.I)
# Group names around an outcome in results sentences: 'BMP9组的骨密度较对照组降低' -> 骨密度.
# The comparison ('较/比/与 … 组(相比)') after the outcome and the group before it are cut.
ZH_COMPARISON_TAIL_RE = re.compile(r"(?:较|比|与|同|跟)\s*[^，,；;。较比]{0,16}?组\s*(?:相比|比较|相对比|对比)?\s*$")
ZH_GROUP_PREFIX_RE = re.compile(r"[^，,；;。]{0,30}组(?![织成合分别件])\s*(?:相比|比较|相对比|对比)?\s*(?:的|中|内|之间)?")
# '… in the AA group' after an English outcome: the group, not part of the outcome.
EN_GROUP_TAIL_RE = re.compile(r"\s+(?:in|of|for)\s+(?:the\s+)?[A-Za-z0-9/+\- ]{1,40}?[- ]groups?\s*$", re.I)
# English comparatives are predicates: 'OARSI scores were lower in the AA group than …' (the
# outcome is the subject, never the phrase after the adjective).
EN_COMPARATIVES = {"higher", "lower", "greater", "less", "more", "fewer", "better", "worse", "longer", "shorter",
                   "larger", "smaller", "stronger", "weaker"}
# Hedge cue values (rules/cues.tsv): a stated aim ('目的', '探讨') is never a finding; an
# uncertain claim ('可能', 'may') is kept only when its own sentence cites the study that made it,
# because reviews report cited findings with softened verbs ('锻炼可能有助于减轻…[37]').
HEDGE_AIM = "aim"
HEDGE_UNCERTAIN = "hedged"
# Negation scope: a trigger this many characters (zh) / tokens (en) before the cue
# negates it (NegEx uses a five-token window).
ZH_NEGATION_WINDOW = 6
EN_NEGATION_WINDOW = 5
# Pseudo-negations (NegEx: triggers that look negative but are not): 不但/不仅/不只/不光 open an additive
# 'not only … but also' clause, 不断 means 'continuously'.
ZH_PSEUDO_NEGATIONS = ("不但", "不仅", "不只", "不光", "不断")
EN_PSEUDO_NEGATION_RE = re.compile(r"\bnot\s+only\s+(?:\w+ly\s+)?$", re.I)
# A marker naming more references than this is a numeric range ('[0–50]'), not a citation.
MAX_REFS_PER_MARKER = 15
# A study opened by an author cue carries over at most this many sentences without a
# new citation (reviews rarely spend longer on one study).
MAX_CARRY_SENTENCES = 6
# A citation this close to the start of its sentence opens the sentence's study
# ('研究表明[11], …'), even without an author name.
OPENING_CITATION_CHARS = 12
# '…先后有研究表明[12,13], 对于…': a marker right after a report verb, closing its clause,
# introduces what the study showed, so the study opens and carries over.
REPORT_VERBS = ("表明", "发现", "显示", "证实", "证明", "报道", "指出", "认为")
# Study break and continuation cues are matched at the sentence opening, up to this many characters
# (the longest English cues: 'Taken together', 'In conclusion').
MAX_LEAD_CUE_CHARS = 24
# A continuation cue inside the first clause ('更有趣的是, 作者将…') keeps the carried study; only
# cues of at least this many characters count there (single characters like 并 are too common).
CONTINUATION_MIN_CHARS = 2
# The studied population named after its condition: 'SCI 小鼠', 'OP大\n鼠' (PDF line breaks inside the
# population word are allowed), '骨质疏松患者'.
_POPULATION = "|".join(r"\s*".join(w) for w in ("患者", "病人", "患儿", "大鼠", "小鼠", "幼鼠", "兔", "犬", "模型",
                                                  "女性", "男性"))
EN_EXPOSURE_RE = re.compile(r"([A-Z][A-Za-z0-9\-]{1,9})\s*(?:损伤|术)?\s*(?:\d+\s*(?:周|天|d|个月|月|h|小时)\s*)?(?:后)?(?:的)?(?:组)?\s*"
                            r"(?:女性|男性)?(?:%s|组)" % _POPULATION)
# (a lookahead, so that '发现模型组大鼠' yields both '发现…' and '模型组'; the first real one is used)
ZH_EXPOSURE_RE = re.compile(r"(?=([\u4e00-\u9fff]{2,4}?)\s*(?:女性|男性)?(?:%s))" % _POPULATION)
# An English paper states its own treatment in its title or aim: 'the effect of X on Y', 'efficacy of X
# in/for/versus …', 'X versus Y' (CONSORT 2010 item 1a/2b: the title and objectives name the intervention).
EN_OWN_TREATMENT_RE = re.compile(r"\b(?:effects?|efficacy|effectiveness|safety|impact|influence|role|benefits?|use|"
                                 r"(?:randomi[sz]ed|controlled|clinical|comparative|pilot)\s+(?:\w+\s+)?(?:trial|study))\s+of\s+"
                                 r"(?:the\s+|a\s+|an\s+)?(?P<x>[A-Za-z0-9][\w\-/+ ]{1,50}?)\s+"
                                 r"(?:on|in|for|versus|vs\.?|compared|with|as|among|during|after|to)\b|"
                                 r"\bto\s+compare\s+(?:the\s+)?(?:effects?\s+of\s+|efficacy\s+of\s+)?(?:a\s+|an\s+)?"
                                 r"(?P<y>[A-Za-z0-9][\w\-/+ ]{1,50}?)\s+(?:with|and|versus|vs\.?|to)\b", re.I)
# A Chinese title names the paper's treatment before 对/治疗/干预…: '蛹虫草对内毒素致大鼠…的影响',
# '光动力疗法联合龈下刮治术治疗慢性牙周炎疗效观察' (学术论文题名: 'X对Y的影响', 'X治疗Y的疗效观察');
# 对照/对比 are not 对. An aim verb before X ('从雌激素受体探讨X对…') is cut.
ZH_TITLE_TREATMENT_RE = re.compile(r"(?P<x>[^，,：:（(\s]{2,30}?)(?:对(?![照比应])|治疗|干预|防治|预防|矫治)")
ZH_TITLE_AIM_PREFIX_RE = re.compile(r"^.*(?:探讨|研究|观察|评价|分析|比较)")
# A title subject that covers most of the title is the topic, not a treatment.
TITLE_SUBJECT_SHARE = 0.8
# A copular first clause names the agent after 是: '治疗药物主要是双膦酸盐, 通过抑制…可以减轻骨痛'.
ZH_COPULA_RE = re.compile(r"(?:主要|就|即|均|都|正|则)?是\s*([^，,；;。是]{2,20})$")
# Class nouns: a copula complement ending in one describes the subject ('X是…的方法'), not an agent.
ZH_CLASS_NOUNS = ("方法", "手段", "疗法", "措施", "途径", "策略", "副作用", "因素", "原因", "疾病", "问题", "药物")
# An effect study names its agent: '研究了X对Y的影响', '观察X对…的作用', 'the effects of X on Y'
# (the standard title/aim frame of Chinese and English biomedical papers).
EFFECT_OF_RE = re.compile(r"(?:研究|探讨|观察|评价|评估|分析|比较)了?\s*(?P<x>(?:[^，,。；;对(（]|[(（][^)）]{0,80}[)）]){2,80}?)\s*对\s*[^，,。；;]{1,40}?的\s*"
                          r"(?:影响|作用|疗效|效果|治疗作用)|\beffects?\s+of\s+(?P<y>[^,;.]{2,60}?)\s+on\b", re.I)
# A sentence opening with a demonstrative ('这种组合有助于…', '该疗法可…', 'This treatment …') refers
# back to the treatment last named in its paragraph.
ZH_DEMONSTRATIVE_RE = re.compile(r"\s*(?:这种|这类|这一|该|此|上述|这些|它们|它|These\b|This\b|Such\b|It\b|They\b)", re.I)
# '骨密度有明显增加', '有所下降': 有 between an outcome and its change cue is part of the predicate
# (实用现代汉语语法: 有 + 动词 表示存在某种变化), not of the outcome.
ZH_EXISTENTIAL = ("有",)
# A sentence that opens on a consequence connective and no subject ('因此，可以改善…', '所以能够…') continues
# the paragraph's topic (Chinese zero anaphora; 实用现代汉语语法, 省略).
ZH_ZERO_SUBJECT_RE = re.compile(r"\s*(?:因此|所以|因而|故而|从而|由此)\s*[，,]?\s*(?:对[^，,。]{1,20})?(?:有|可以|能够|能|可|具有|还可)")
# An effect stated as a noun: 'X对Y(具有|有|发挥)(良好的)治疗/保护/抑制/促进作用' (学术论文题名 'X对Y的治疗作用').
ZH_EFFECT_KINDS = {"治疗": "improve", "保护": "improve", "防治": "improve", "改善": "improve", "修复": "improve",
                   "促进": "increase", "抑制": "decrease"}
# (possessive \s*+: the optional words between the spaces must not make runs of spaces backtrack, see
# tests/test_regexes.py)
ZH_EFFECT_RE = re.compile(r"(?:对(?P<y>[^，,。；;对\s][^，,。；;对]{1,29}?))?\s*+(?P<verb>具有|有|发挥|起到|起)?了?\s*+"
                          r"(?:有效|良好|显著|明显|一定|较好|积极|重要|很好)?的?\s*+"
                          r"(?P<eff>[^，,。；;的\s有具发起也均都]{0,4}?(?P<kind>%s)(?:作用|效果|效应))" % "|".join(ZH_EFFECT_KINDS))
# Without '对Y', only a protective effect that a verb asserts is a claim ('发挥明显的软骨保护作用'); '免疫抑制作用'
# alone is a property.
ZH_EFFECT_ALONE = ("保护",)
# A cited title in a review table: 'X治疗Y' (X names a treatment: it holds an intervention head word).
ZH_TITLE_TREATS_RE = re.compile(r"(?P<x>[^，,。；;\t]{2,40}?)(?P<v>治疗)(?P<y>[^，,。；;\t\^\[]{2,40})")
# A measured share: 'X的比例为 98%', 'X阳性率达（7.9±4.2）%' (the share word, then the value in percent).
ZH_PROPORTION_RE = re.compile(r"(?P<share>(?:比例|百分比|百分率|阳性率|比率)\s*(?:为|达到|达|约为|高达))\s*"
                              r"(?P<v>[（(]?\s*\d[\d.±～~\-– ]{0,20}[）)]?\s*%)")
# An association statement: 'A 与 B 有关/相关/密切相关', 'A 与 B 有显著的关系' (B up to the relation word).
ZH_ASSOCIATION_RE = re.compile(r"与(?P<b>[^，,。；;与]{2,30}?)(?P<rel>(?:呈|存在)?(?:密切|显著|明显)?(?:正|负)?(?:有关|相关)|"
                               r"(?:没有|无|有)?(?:显著|明显|密切)?的?(?:关系|关联))")
# A topic mention opens its sentence: at most this many characters after the sentence start.
TOPIC_MAX_OFFSET = 0
# A direction verb right before these nouns names a property, not a change: '免疫抑制作用', '促进剂'.
ZH_NOMINAL_HEADS = ("作用", "能力", "功能", "效应", "剂", "因子", "药", "率", "幅度", "程度", "速度", "速率")
# '使X恢复至正常水平': the level reached is not an outcome; the cue is then a predicate of X.
ZH_NORMAL_LEVEL = ("正常", "原有", "基线")
# Head nouns of measured quantities: an outcome ending in one is measurable even when no rule
# knows the term ('骨小梁厚度', 'serum calcium level').
MEASURE_HEADS = ("密度", "水平", "含量", "活性", "表达", "评分", "数目", "数量", "体积", "厚度", "面积", "比例", "浓度",
                 "强度", "长度", "重量", "质量", "率", "level", "density", "score", "number", "volume", "expression",
                 "activity", "content", "ratio", "rate", "thickness", "concentration", "strength", "area",
                 "incidence", "risk", "frequency", "duration", "pressure", "mortality", "survival", "pain", "time",
                 "weight", "mass", "loss", "circumference", "index", "size", "length", "diameter", "count",
                 "satisfaction", "quality", "function", "healing", "recovery", "symptom")
# Process nouns that make a span an outcome even when no rule knows the term ('成骨分化', 'bone healing'):
# a change in a process is a measured result (QA2 T1).
PROCESS_HEADS = ("分化", "增殖", "凋亡", "迁移", "形成", "生成", "再生", "修复", "愈合", "功能", "吸收", "矿化", "钙化",
                 "成骨", "破骨", "炎症", "纤维化", "萎缩", "退变", "损伤", "疼痛", "存活", "转录", "信号", "通路",
                 "磷酸化", "活化", "分泌", "染色", "结节", "脂滴", "骨量", "骨折", "死亡", "结构", "形态", "生长", "沉积",
                 "分布", "反应", "活动", "步态", "行为", "运动", "感觉", "感染", "并发症", "growth", "formation",
                 "differentiation", "proliferation", "apoptosis", "migration", "regeneration", "repair", "survival",
                 "inflammation", "signal", "pathway", "phosphorylation", "secretion", "mineralization", "fibrosis",
                 "structure", "morphology", "percentage", "proportion", "status", "well-being", "outcome", "events")
# Outcome labels: a span with only other mentions (the treatment, a species) names no measured thing.
OUTCOME_LABELS = ("OUTCOME", "GENE_PROTEIN", "ANATOMY", "CELL", "DISEASE", "OTHER")
# Clause debris a Chinese outcome cannot end on: a conjunction/adverb frame ('…的同时也'), a predicate
# opener ('…作为一种有效', '…还将') or a verb left by the cut (QA2 T1). Stripped modifiers are removed first.
ZH_OUTCOME_BAD_TAIL_RE = re.compile(r"(?:同时|作为[^，,。]*|一种[^，,。]*|还将|将|则|也|亦|可|呈|得以|认为|随着[^，,。]*|"
                                    r"趋势|被|(?<!作)用|(?<!存)在|从|由|中|(?<!预)后|(?<![小之])时|的)$")
# Adverbs and particles a cut leaves after a Chinese outcome ('运动功能得以', '蛋白表达量同样'): stripped, the
# rest may still be the outcome.
ZH_OUTCOME_STRIP_TAIL_RE = re.compile(r"(?:(?:得以|同样|随之|也|亦|则|均|都|可|呈|还|(?<![主重需必首只])要|(?<![功性技潜智体动机效热势])能|的作用)+|"
                                      r"(?:较|(?<![对之类])比(?![例值率重]))[^，,。；;较比]{1,10}|(?<=[\u4e00-\u9fff])\d{1,3}(?:[,，\-–]\d{1,3})*)$")
# English outcomes opening on a quantifier of sets ('both domains', 'all groups') name no measured thing.
EN_SET_QUANTIFIERS = frozenset(("both", "all", "each", "either", "neither", "other", "these", "those"))
# A Chinese outcome opening on a situation frame ('随着…', '在…中', '模型中…') is a clause, not a thing.
ZH_OUTCOME_BAD_HEAD_RE = re.compile(r"^(?:随着|由于|因为|如果|虽然|模型中|当)")
# An arm or group name is the comparator, never the outcome: 'BMP9 组', 'X+Y组则', 'the SFRP5 group' (QA2 T2).
ZH_ARM_OUTCOME_RE = re.compile(r"组\s*(?:则|也|亦|中|内|间|均|都)?$|组\s*(?:相比|相对比|对比|比较)")
# 'collagen content in the AA group': the closing arm frame of an English outcome (its words hold no in/of).
EN_ARM_TAIL_RE = re.compile(r"\s+(?:in|for)\s+(?:the\s+)?(?:(?!(?:in|of|for)\b)[\w/+\-]+\s+){0,4}groups?\s*$", re.I)
# '…组与 X 组相对比钙盐结节明显降低': the comparison with the other arm opens the span; the outcome follows it.
ZH_ARM_COMPARISON_LEAD_RE = re.compile(r"^[^，,；;。]{0,30}?组\s*(?:相比|相对比|对比|比较)(?:之下|而言)?\s*[，,]?\s*")
EN_ARM_OUTCOME_RE = re.compile(r"^(?:the\s+)?[\w+/\- ]{0,30}?\b(?:groups?|arms?|cohorts?)$", re.I)
# Quantifiers that make a species NP a set of animals, not a treatment: '部分大鼠', '所有小鼠' (QA2 T1).
ZH_QUANTIFIERS = ("部分", "所有", "全部", "一些", "多数", "少数", "大部分", "大多数", "这些", "每只", "各组")
# A blocking experiment inside a cited study: '在应用 X 阻断剂后，Y 降低', '当敲除 X 后，Y 降低'. The change
# is the blocker's, not the study's treatment; without its own subject the claim is left out (QA2 sample).
ZH_BLOCKING_FRAME_RE = re.compile(r"(?:当|在)\s*(?:应用|使用|加入|给予|采用)?\s*(?:(?:抑制|阻断|敲除|敲低|沉默)[^，,。；;]{0,20}?|"
                                  r"[^，,。；;]{0,20}?(?:阻断剂|抑制剂|拮抗剂|siRNA)[^，,。；;]{0,6}?)(?:后|时)|"
                                  r"(?:阻断剂|抑制剂|拮抗剂|敲除|敲低)[^，,。；;]{0,16}?后|"
                                  r"(?:当|在)[^，,。；;]{1,20}?(?:受到抑制|被抑制|被阻断|被敲除|被敲低)[^，,。；;]{0,6}?(?:后|时)")
# Generic heads that name no particular outcome on their own ('细胞', '表达', '通路').
ZH_GENERIC_OUTCOMES = frozenset(("细胞", "表达", "通路", "水平", "作用", "基因", "蛋白", "信号", "因子", "组织", "结果", "活性"))
# The injured tissue is where a treatment acts, not the treatment: '损伤的坐骨神经', '受损的软骨' (QA2 T1).
ZH_INJURED_TISSUE_RE = re.compile(r"^(?:损伤|受损|缺损|病变|坏死|退变)的")
# Demonstrative remnants a cut leaves at an agent's end: '现这些', '发现该' (the referent follows the cut).
ZH_AGENT_BAD_TAIL_RE = re.compile(r"(?:这些|这种|这类|这一|此|该|其|认为|一般|呈|也|则|现)$")
# Panel labels and converted formula debris before an English subject: '(b) ', '$( * p<0.05 )$ '.
EN_SUBJECT_NOISE_RE = re.compile(r"(?:\s*(?:\$[^$]*\$|\(?[a-h]\)|\([^)]{0,30}\)))+\s*")
# A subject ending in a form of 'be' (or 'be' + adverb) precedes a passive or predicate participle.
EN_PASSIVE_END_RE = re.compile(r"\b(?:was|were|is|are|been|be|being)(?:\s+\w+ly)?\s*$", re.I)
# English cited claims ('Smith et al. [4] showed that MSCs increased bone formation'): the reporting frame
# up to the last complementizer names the authors, not the agent (Evidence Inference, Lehman et al. 2019:
# the intervention is the treatment compared, never the study's authors).
EN_COMPLEMENTIZER_RE = re.compile(r"\b(?:that|whether)\s+", re.I)
EN_REPORT_VERB_RE = re.compile(r"\b(?:showed|shown|shows|reported|reports|found|finds|demonstrated|demonstrates?|"
                               r"observed|suggested|suggests?|revealed|reveals?|indicated|indicates?|noted|confirmed|confirms?|"
                               r"proved|described|concluded|agrees?)\b", re.I)
# A relative or complement clause opener is never the start of an agent or outcome ('who reported a').
EN_RELATIVE_START_RE = re.compile(r"^\s*(?:who|whom|whose|which|that|where|when|whereas|while)\b", re.I)
# Pronoun-only agents/outcomes name nothing ('they suppressed …', 'it reduced …').
EN_PRONOUNS = frozenset(("it", "its", "they", "them", "their", "these", "this", "those", "we", "he", "she", "our",
                         "which", "who", "that", "such", "both", "all", "each", "one", "there"))
# Auxiliaries, modals and adverbs between the agent and its verb: 'BMSCs partly prevented', 'mice had reduced'.
EN_AGENT_TAIL_RE = re.compile(r"(?:\s+(?:can|could|may|might|would|will|also|further|did|does|do|not|had|has|have|"
                              r"both|all|\w+ly))+\s*$", re.I)
# Clause openers before an agent: 'while ADSCs …', 'In contrast, …'.
EN_AGENT_OPENERS_RE = re.compile(r"^\s*(?:(?:and|but|or|while|whereas|however|moreover|furthermore|similarly|"
                                 r"likewise|thus|then|in contrast|in addition|also)\b[\s,]*)+", re.I)
# 'exosome-treated mice', 'BMSC-transplanted rats': the treatment is the modifier before '-treated'.
EN_TREATED_RE = re.compile(r"\b([A-Za-z0-9][\w/+]*(?:-[\w/+]+)*?)-(?:treated|transplanted|injected|infused)\b", re.I)
# Modifiers of '-treated' that name no particular treatment ('both cell-treated groups').
EN_GENERIC_TREATED = frozenset(("cell", "cells", "vehicle", "sham", "placebo", "saline", "control", "drug", "mock"))
# A later clause that withdraws the change: 'their differences were not statistically significant', 'did not reach
# significance', '但差异无统计学意义' (CONSORT 2010 item 17: a difference is reported with its significance).
NOT_SIGNIFICANT_AFTER_RE = re.compile(r"\b(?:the|their|these|this|such)\s+differences?\s+(?:was|were)\s+not\s+(?:statistically\s+)?"
                                      r"significant|\bdid\s+not\s+reach\s+(?:statistical\s+)?significance|"
                                      r"(?:但|而)?(?:两组)?(?:间)?差异(?:均)?无(?:显著性|统计学)?意义", re.I)
# A population defined by what it took: '长期服用X的患者', '补充X的老年女性', '接受X治疗的大鼠' (X is the exposure of the
# claim about that population; the population words are not part of the outcome).
ZH_TAKING_RE = re.compile(r"(?:长期|规律|常规)?(?:服用|补充|使用|接受|应用|注射)(?P<x>[^，,。；;的]{2,15}?)(?:治疗|干预)?的"
                          r"(?:老年|绝经后|中老年)?(?:患者|病人|人群|女性|男性|妇女|儿童|患儿|大鼠|小鼠|人)")
# Two treatments compared inside one sentence: 'patients receiving A (90%) or B (83%)', '接受A或B治疗的患者'.
# The sentence's change or equality is A's relative to B, whatever the paper's own treatment is.
EN_TWO_ARMS_RE = re.compile(r"\b(?:receiving|received|given|treated\s+with|randomi[sz]ed\s+to)\s+(?:either\s+)?"
                            r"(?P<a>[A-Za-z][\w\-/ ]{1,40}?)\s*(?:\([^()]{0,30}\)\s*)?(?:,\s*)?(?:or|versus|vs\.?)\s+"
                            r"(?P<b>[A-Za-z][\w\-/ ]{1,40}?)(?=\s*[(,;.]|\s*$)", re.I)
ZH_TWO_ARMS_RE = re.compile(r"(?:接受|给予|使用)(?P<a>[^，,。；;或与和]{2,15}?)(?:或|与)(?P<b>[^，,。；;]{2,15}?)(?:治疗|干预)的")
# A class word that heads a blocker ('抗体阻断剂', 'antibody blockers') names the blocking tool of the sentence,
# whose effect is not the paragraph's treatment's: such a claim is dropped, not resolved.
BLOCKER_AFTER_RE = re.compile(r"\s*(?:阻断剂|抑制剂|拮抗剂|中和|blockers?\b|inhibitors?\b|antagonists?\b|blockade\b)", re.I)
# A generic agent is a class word with only determiners and arm words around it: 'the intervention groups',
# 'this treatment', '该抗体', '加入抗体', '治疗组'. It refers to the treatment named nearby (anaphora: Mitkov 2002, definite
# descriptions), so it is replaced by that, or the claim is dropped when none was named.
GENERIC_AGENT_RE = re.compile(r"(?:^|\b(?:the|this|that|these|those|such|our|their|its|each|both|same)\s+|"
                              r"(?:该|此|这种|这类|这些|上述|加入|给予|使用|应用|采用|用))(?P<head>[A-Za-z]+|[\u4e00-\u9fff]{2,3}?)"
                              r"(?:\s*(?:groups?|arms?|patients|participants|subjects|组|患者))?$", re.I)
# 'a single intravenous dose of BMSCs', 'local delivery of X', 'treatment with X': the vehicle names X.
EN_VEHICLE_RE = re.compile(r"^(?:(?:a|an|the)\s+)?(?:[\w\-]+\s+){0,3}?(?:doses?|injections?|infusions?|administration|"
                           r"delivery|transplantation|implantation|treatment|therapy|supplementation)\s+(?:of|with)\s+",
                           re.I)
# Passive agent: 'BMD was increased by strontium ranelate in OVX rats'.
EN_BY_AGENT_RE = re.compile(r"\s+by\s+(?:the\s+|a\s+|an\s+)?([A-Za-z0-9][\w\-/ ]{1,40}?)(?=\s+(?:in|of|at|after|compared|"
                            r"than|versus|vs|from|to|with|when|and|but)\b|\s*[,;.()\[]|$)", re.I)
# The treated population after an intransitive change: 'levels increase in patients treated with X', 'rose after
# treatment with X', 'fell following X administration' (the treatment is X).
EN_TREATED_WITH_RE = re.compile(r"\b(?:(?:treated|supplemented|managed|dosed)\s+with|(?:after|following|during)\s+"
                                r"(?:treatment|therapy|supplementation)\s+with)\s+(?:the\s+|a\s+|an\s+)?"
                                r"(?P<x>[A-Za-z0-9][\w\-/ ]{1,50}?)(?=\s+(?:in|of|at|for|after|compared|than|versus|vs|from|"
                                r"and|but|or|when|which|who)\b|\s*[,;.()\[]|$)", re.I)
# A base or present change verb followed by a place or time phrase is intransitive ('increase in patients',
# 'decreases after surgery'): the subject before it is the outcome.
EN_INTRANSITIVE_AFTER_RE = re.compile(r"(?:in|among|after|during|following|over|within)\b", re.I)
# An arm defined by its treatment (CONSORT 2010 item 5: each arm's intervention is described in the methods):
# 'received either X (treatment arm) or Y (control arm)', 'Group I included patients who were examined using X',
# 'Group A: X', 'group B received X', 'A组给予X'. A result that names only the arm ('in group I', 'the treatment
# arm', 'B组') is about X.
EN_ARM_LABEL = r"(?:group\s+(?-i:[A-Z]{1,3}|[0-9]{1,2})\b|(?:treatment|intervention|experimental|study|active)\s+(?:arm|group))"
EN_ARM_AFTER_RE = re.compile(r"(?P<x>[A-Za-z0-9][^,;:()]{2,80}?)\s*\((?:the\s+)?(?P<label>" + EN_ARM_LABEL + r")\)", re.I)
EN_ARM_BEFORE_RE = re.compile(r"\b(?P<label>" + EN_ARM_LABEL + r")\s*(?:\([^()]{0,30}\)\s*)?(?::|,?\s*(?:which\s+|who\s+)?"
                              r"(?:received|was\s+given|were\s+given|was\s+treated\s+with|were\s+treated\s+with|underwent|"
                              r"(?:included|consisted\s+of|comprised)\s+(?:\d+\s+)?\w+\s+"
                              r"(?:who|that)\s+(?:were\s+|was\s+)?\w+(?:\s+(?:with|using|by))?))\s+(?P<x>(?:[^,;.()]|\.(?=\d)){3,80})", re.I)
ZH_ARM_DEF_RE = re.compile(r"(?P<label>[A-Za-z0-9Ⅰ-Ⅻ一二三四甲乙丙]{1,3}|观察|治疗|试验|研究|干预|实验)\s*组\s*(?:\([^()]{0,20}\)|（[^（）]{0,20}）)?\s*"
                           r"(?:[:：]|给予|采用|使用|接受|予以?|行)\s*(?P<x>[^，,；;。()（）]{2,40})")
# Arms compared before anything was given (CONSORT 2010 item 15, baseline data): 'no differences between groups
# before the study', 'at baseline', '治疗前两组…无明显差异'. A no-change claim there is comparability, not an effect;
# after 'from', 'than', 'compared with', 较 or 与 the same words are the reference of a real change.
EN_BASELINE_RE = re.compile(r"(?<!from )(?<!than )(?<!with )(?<!to )\b(?:at\s+baseline|baseline\s+(?:values?|levels?|scores?)|"
                            r"(?:before|prior\s+to)\s+(?:the\s+)?(?:start\s+of\s+(?:the\s+)?)?(?:study|trial|treatment|"
                            r"intervention|administration|randomi[sz]ation|surgery|induction|operation|allocation))\b", re.I)
ZH_BASELINE_RE = re.compile(r"(?<![较与比和])(?:治疗前|干预前|术前|给药前|基线时|入组时)")
# A schedule after an arm's treatment is its timing, not its name: 'X for 6 hours', 'X over 12 weeks', 'X 连续8周'.
ARM_DURATION_TAIL_RE = re.compile(r"(?:\s+(?:for|over|during)\s+\d|\s*(?:连续|共)\s*\d).*$", re.I)
# A label in parentheses after the population, not the treatment: 'the other eye (intervention group) received X'.
EN_ARM_GIVEN_AFTER_RE = re.compile(r"\s*(?:was\s+|were\s+)?(?:received|given|treated\s+with|underwent)\s+"
                                   r"(?P<x>(?:[^,;.()]|\.(?=\d)){3,80})", re.I)
# What replaces a model in the agent slot: a drug or procedure, or a cell therapy (not a gene, often the outcome).
# Inside the agent phrase ('OVX mice given X', '移植到OVX大鼠体内的MSCs') a cell is the graft; elsewhere in the
# sentence a cell is as often the studied culture ('微重力抑制MSCs成骨分化'), so only a drug or procedure replaces it.
MODEL_TREATMENT_LABELS = ("INTERVENTION", "CELL")
NEAR_TREATMENT_LABELS = ("INTERVENTION",)
# A model that causes the change is the claim's agent: '去卵巢可导致骨量减少', 'OVX induced bone loss'.
MODEL_CAUSE_RE = re.compile(r"\s*(?:(?:可|会|能|可以|均|也)\s*)?(?:导致|引起|造成|致使|诱发|诱导|使)|\s*(?:\w+ly\s+)?"
                            r"(?:induced|caused|causes|leads?\s+to|led\s+to|resulted\s+in|results\s+in)\b", re.I)
# The verb frame in front of an arm's treatment: 'patients received either X' -> X.
EN_ARM_FRAME_RE = re.compile(r"^.*\b(?:received|receive|given|underwent|undergo|to|either|with|using|of)\s+", re.I)
# Measure heads whose 'of' complement is part of the outcome: 'prevented the decline of lumbar BMD',
# 'lower the ratio of RANKL to OPG' (the quantity and what it measures form one outcome).
EN_OF_HEADS = ("ratio", "decline", "loss", "number", "numbers", "level", "levels", "expression", "activity", "rate",
               "risk", "incidence", "density", "content", "proportion", "amount", "volume", "thickness", "area",
               "production", "secretion", "release", "concentration", "concentrations", "count", "percentage",
               "rates", "ratios", "risks", "odds", "frequency", "proportions", "percentages", "amounts", "occurrence",
               "onset", "development", "progression")
EN_OF_TAIL_RE = re.compile(r"\s+of\s+(?:the\s+)?[A-Za-z0-9][\w\-/ ]{0,50}?(?=\s+(?:in|by|after|at|compared|than|versus|vs|"
                           r"from|with|when|but|while|whereas|which|who)\b|\s*[,;.()\[]|$)", re.I)
# Function words that cannot end a noun phrase ('The desire to', 'often the', 'events experienced as') or
# start an agent ('in the attempt to …'): such spans are clause fragments.
EN_NP_BAD_END = frozenset(("a", "an", "the", "to", "of", "for", "with", "in", "on", "at", "by", "as", "about", "from",
                           "or", "and", "but", "namely", "such", "more", "less", "than", "into", "that", "which"))
EN_NP_BAD_START = frozenset(("in", "on", "at", "for", "with", "of", "to", "from", "by", "as", "given", "whether", "if",
                             "because", "since", "although", "though", "when", "while"))
# Finite verbs inside an outcome span mean the span runs over a clause ('has a setting', 'cortisol levels have been').
EN_FINITE_RE = re.compile(r"\b(?:is|are|was|were|has|have|had|been|do|does|did|can|could|will|would|allows?)\b", re.I)
# A discussion compares its own finding with cited ones: 'the cells reduced resorption, in line with reports
# that MSCs lower … [13]' — a marker after such a phrase governs only the clause after it.
EN_AGREEMENT_RE = re.compile(r"\b(?:in line with|consistent with|in agreement with|in accordance with|agrees with|"
                             r"in contrast to|unlike|as (?:previously )?reported by)\b", re.I)
# Words that open a subordinate or result clause, never an outcome noun phrase ('if levels remained …',
# 'indicating better recovery'), and time prepositions that open a short adjunct ('after training').
EN_CLAUSE_OPENERS = frozenset(("if", "whether", "indicating", "suggesting", "because", "although", "though", "unless",
                               "there", "towards", "toward"))
# Sentences about who the participants were, not what a treatment did (QA2 T3): baseline or demographic
# comparisons, excluded/included participant sets, 'those who developed X', and prognosis within the
# placebo arm ('baseline levels of placebo patients …').
EN_PARTICIPANT_RE = re.compile(r"\b(?:demographic|baseline\s+characteristics|(?:excluded|included|non-?participating)\s+"
                               r"(?:participants|patients|subjects|individuals|students)|those\s+who\s+(?:did|had|were|developed)|"
                               r"(?:of|in|among)\s+(?:the\s+)?placebo(?:-treated)?\s+(?:patients|subjects|participants))\b", re.I)
# English association statements (exposure -> outcome, as observational studies report them; STROBE, von Elm
# et al. 2007): 'A was associated with an increased risk of B', 'A is not related to B', 'A were at higher risk
# of B'. The comparative opening B gives the direction, a negation before the relation gives no_change, and an
# association with neither states no direction (no claim).
EN_ASSOC_RE = re.compile(r"\b(?P<adv>(?:(?:significantly|strongly|independently|positively|negatively|inversely|"
                         r"directly|closely|also|not|only|further)\s+)*)(?P<rel>associated|related|linked)\s+"
                         r"(?:with|to)\s+|\b(?:was|were|is|are|be|been|being)\s+at\s+(?=(?:an?\s+)?(?:\w+ly\s+)?"
                         r"(?:increased|higher|greater|elevated|reduced|lower|decreased)\s+risks?\b)", re.I)
# A paired coordination opening an exposure: 'neither A nor B was associated', 'both A and B were linked'.
EN_PAIRED_COORD_RE = re.compile(r"(?:^|[,;:]\s*|\b(?:that|similarly|likewise|however)\s+)(?:neither|either|both)\s+", re.I)
# 'no association between A and B', 'no significant relationship was found between A and B': no_change.
EN_NO_ASSOC_RE = re.compile(r"\bno\s+(?:(?:significant|statistically\s+significant|clear|independent|evidence\s+of\s+an?)\s+)*"
                            r"(?:association|relationship|correlation|relation)s?\s+(?:(?:was|were)\s+(?:observed|found|seen|"
                            r"detected|shown)\s+)?between\s+", re.I)
# 'positively associated with B' without a comparative: the adverb states the direction.
EN_ASSOC_ADVERBS = {"positively": "increase", "directly": "increase", "inversely": "decrease", "negatively": "decrease"}
# The negations that scope over an association ('not associated', 'neither A nor B was associated', 'no evidence
# that A was associated'): looked for in the part of the sentence before the relation word.
EN_ASSOC_NEGATION_RE = re.compile(r"\b(?:not|no|neither|nor|never)\b", re.I)
# Where the outcome of an association ends: a clause boundary, a marker, or a following qualifier.
EN_ASSOC_OUTCOME_RE = re.compile(r"(?:an?\s+|the\s+)?(?P<o>[A-Za-z][^,;()\[\]]{1,80}?)(?=\s*(?:[,;()\[\]]|\.(?:\s|$)|$)|"
                                 r"\s+(?:in|among|after|during|compared|than|independent|independently|regardless|but|"
                                 r"whereas|while|which|when|later|at|over|within|both|either|except)\b)", re.I)
# A verb that stops a change: 'avoided the decrease in Hb', 'prevented bone loss' (QA2 T3). A noun cue right
# after it states the change that did NOT happen, so its direction flips.
# Only pure change nouns flip: 'bone loss' or 'cognitive decline' is itself the outcome the verb lowers.
EN_CHANGE_NOUNS = frozenset(("decrease", "decreases", "reduction", "reductions", "drop", "fall", "increase", "increases",
                             "rise", "elevation"))
EN_PREVENTING_RE = re.compile(r"\b(?:avoid|prevent|attenuat|revers|counteract|block|mitigat|blunt|abolish|offset|"
                              r"protect(?:ed|s|ing)?\s+against)\w*\s+(?:the\s+|a\s+|an\s+|any\s+|this\s+)?(?:[\w\-]+\s+)?$", re.I)
EN_TIME_PREPOSITIONS = frozenset(("after", "before", "during", "until"))
MAX_TIME_PHRASE_WORDS = 3
# A verb coordinated with the previous one: 'promoted X and (significantly) attenuated Y', 'X, reduced Y'.
EN_VERB_COORD_RE = re.compile(r"(?:,\s*(?:(?:and|or|but)\s+)?|\s+(?:and|or|but|as\s+well\s+as)\s+)(?:also\s+)?(?:\w+ly\s+)?$", re.I)
# A raised subject before a reporting passive: 'X has been shown to', 'X was found to', 'X is known to'.
EN_RAISING_RE = re.compile(r"\s+(?:has|have|had|was|were|is|are)\s+(?:been\s+)?(?:\w+ly\s+)?(?:shown|reported|found|"
                           r"demonstrated|proven|proved|known|suggested|observed)\s+to\s+(?:\w+ly\s+)?$", re.I)
# Before a base-form change verb with an object: an infinitive marker or a modal ('shown to reduce', 'can improve').
EN_BASE_VERB_BEFORE_RE = re.compile(r"\b(?:to|can|could|may|might|would|will|did|does|do)\s+(?:\w+ly\s+)?$", re.I)
# Coordinated objects are split when each part has at most this many words ('MMP13 and ADAMTS5').
MAX_EN_COORD_WORDS = 4
# Longest English agent phrase, in words: longer spans are a clause, not a noun phrase.
MAX_EN_AGENT_WORDS = 8
# An agent NP with a relative clause inside ('people who had lost a parent during childhood') is an exposure
# description and may be longer; the relative clause starts after at least one word of the head NP.
MAX_EN_EXPOSURE_WORDS = 14
EN_INNER_RELATIVE_RE = re.compile(r"(?<=\w)\s+(?:who|whose)\s+", re.I)
# Comparator values that can also be the exposed group ('模型组大鼠…较对照组低'): not rejected as agents.
EXPOSURE_COMPARATORS = ("model group",)
# A phrase ending in these is a condition or time clause ('当增加硬度时', '抑制 Akt 后', '…条件下').
ZH_CONDITION_ENDS = ("时", "后", "条件下")
# '不影响力学强度的情况下': the circumstance words are cut from the outcome, which is kept.
ZH_SITUATION_SUFFIXES = ("的情况下", "情况下")
# A figure/table pointer or an arrow note closing an outcome ('活性(图5)', '溃疡（箭头所示）', 'level (Fig. 2b)')
# points at the evidence; it is not part of the outcome's name.
FIGURE_REF_TAIL_RE = re.compile(r"\s*[(（]\s*(?:图|表|见|箭头|Fig|Figure|Table|Supplementary)[^()（）]{0,30}[)）]\s*$", re.I)
# Edges a cut leaves on a Chinese agent: a particle or conjunction in front ('的 MSCs', '因为…'), an adverb or
# modal behind ('…不久就', '…应该').
ZH_AGENT_LEAD_RE = re.compile(r"^\s*(?:(?:的|因为|由于|而且|而|但|且|等人|等|将|把|由|推测|采用|利用|应用|使用|用(?!药)|中(?![性枢药心层医央间等国期晚和草西]))\s*)+")
ZH_AGENT_TRAIL_RE = re.compile(r"\s*(?:就|才|便|应该|应当|应|都|也|同样|还有|亦|(?<![含具拥])有|(?<![神已曾月途])经|在[^，,。在]{1,12}中)$")
# Connectives and coordinators left at the front of an outcome ('而且神经的连续性', '和茜素红染色').
ZH_OUTCOME_LEAD_RE = re.compile(r"\s*(?:而且|并且|以及|从而|进而|同时|并|且|和|及|与|的|或)\s*")
# Figure and table captions restate the results in the text: not read as own-study claims.
CAPTION_RE = re.compile(r"\s*(?:图|表|Fig(?:ure)?\.?|Table)\s*\d", re.I)
# Outcome texts that are degree phrases or association statements, not quantities: '更明显',
# '获得了更大', '…有关', '…的关系'.
ZH_NOT_OUTCOME_RE = re.compile(r"^更|明显$|更大$|有关$|相关$|关系$|^组[高低大小多少]$")
# Cue categories of function words (never an intervention or outcome on their own).
FUNCTION_WORD_CATEGORIES = ("scope_boundary", "modifier", "study_continuation", "study_break", "negation", "hedge")
# Marker fallback when the citations stage has not run: [31], [13,14], [2-3], ^[4].
CITE_RE = re.compile(r"\^?\s?[\[［]\s*(\d+(?:\s*[-–—~～,，、]\s*\d+)*)\s*[\]］]")
ZH_AUTHOR_RE = re.compile(r"([\u4e00-\u9fff]{1,4})\s*等(?:人)?\s*$")
EN_AUTHOR_RE = re.compile(r"([A-Z][A-Za-z'\-]+(?:\s+[A-Z]{1,3})?)\s*(?:等人?|et al\.?|and (?:colleagues|co-?workers))?\s*$")
# A numbered heading at the start of a line ('2.3 标题', '(2)'), not a quantity ('8 周后').
HEADING_RE = re.compile(r"\n[ \t]*(?:\d+(?:\.\d+)*\.?[ \t]+(?![周天月年个例只名次%hd])[^\d\s]|[(（]\d+[)）])")
PARAGRAPH_RE = re.compile(r"\n[ \t\u3000]*\n")
# Blank lines mark paragraphs only when they are rare: PDF conversions that put a blank line
# after every line (more than this share of line breaks) carry no paragraph information.
MAX_BLANK_LINE_SHARE = 0.3
# Fallback sentence ends: 。！？, an English full stop, a table cell, the line break before a
# numbered heading ('1.3 瘦素对骨组织的影响') and the end of such a heading line.
SENTENCE_END_RE = re.compile(r"(?m)[。！？!?]|\n(?=[^\n]*\t)|(?<![A-Z\d])\.(?=\s+[A-Z\u4e00-\u9fff])|\t|\n(?=[ \t]*\d+(?:\.\d+)*\.?[ \t]+\S)|"
                             r"^[ \t]*\d+(?:\.\d+)*\.?[ \t]+[^\n。，,]{1,30}$")
# Fallback reference-list heading: nothing after it is running text.
REFERENCES_RE = re.compile(r"(?im)^[ \t#*]*(?:参考文献|references|bibliography)[ \t:：*]*$")
HAN = re.compile(r"[\u4e00-\u9fff]")
TIME_RE = re.compile(
    r"((?:(?:治疗|移植|输注|刺激|损伤|注射|术)后\s*)?\d+(?:\.\d+)?\s*(?:[～~\-–和]\s*\d+\s*)?"
    r"(?:周|天|d|h|小时|个月|月|年)(?:后|内|时)?)"
)
EN_TIME_RE = re.compile(r"\b((?:after\s+)?\d+(?:\.\d+)?\s*(?:-|to|and)?\s*\d*\s*(?:weeks?|days?|months?|years?|hours?|h)\b)", re.I)
DOSE_RE = re.compile(r"(\d+(?:\.\d+)?\s*[×xX]\s*10\s*\^?\s*\d+\s*(?:个细胞|个/\w+|/人次|cells)?|"
                     r"\d+(?:\.\d+)?\s*(?:mg/kg|μg/kg|ug/kg|U/kg|mg/d|mg|μg|ml|mL|IU))")
VALUE_RE = re.compile(r"^[\s为了达]*((?:[（(]?\d[\d.±～~\-– ]*[）)]?\s*(?:%|g|cm|mm|kg|倍|kb)?))")


@dataclass(frozen=True)
class Cue:
    """A direction cue in the text."""

    start: int
    end: int
    text: str
    direction: str
    verb_only: bool = False


@dataclass
class _StudyState:
    refs: tuple[str, ...]
    first_author: str | None
    study_id: str
    opened: bool  # by an author cue or a sentence-initial marker: carries over
    intervention: tuple[str, int, int] | None = None
    exposure: tuple[str, int, int] | None = None
    species: str | None = None
    design: str | None = None
    route: str | None = None
    dose: str | None = None
    timepoint: str | None = None
    model: str | None = None
    year: int | None = None
    last_sent: int = -1
    sentences: list[int] = field(default_factory=list)


class _Lexicon:
    """The cue table of ``rules/cues.tsv`` compiled into matchers."""

    def __init__(self, rules: Rules) -> None:
        def words(category: str, lang: str) -> dict[str, str]:
            return {r["cue"]: r["value"] for r in rules.cue_list(category, lang)}

        self.zh_dir = words("direction", "zh")
        zh_verb = words("direction_verb", "zh")
        self.zh_verb_only = {w for w in zh_verb if w not in self.zh_dir}
        self.zh_dir.update({w: v for w, v in zh_verb.items() if w not in self.zh_dir})
        self.zh_dir_re = _alternation(self.zh_dir)
        self.en_dir = {k.lower(): v for k, v in words("direction", "en").items()}
        self.en_dir.update({k.lower(): v for k, v in words("direction_verb", "en").items()})
        self.en_dir_re = _alternation(self.en_dir, english=True)
        self.zh_neg = sorted(words("negation", "zh"), key=len, reverse=True)
        self.en_neg = {w.lower() for w in words("negation", "en")}
        self.zh_hedge = words("hedge", "zh")
        self.en_hedge = {w.lower(): v for w, v in words("hedge", "en").items()}
        self.species = {**words("species", "zh"), **words("species", "en")}
        self.species_re = _alternation(self.species, english_ok=True)
        self.design = {**words("design", "zh"), **words("design", "en")}
        self.design_re = _alternation(self.design, english_ok=True)
        self.route = {**words("route", "zh"), **words("route", "en")}
        self.route_re = _alternation(self.route, english_ok=True)
        self.comparator = {**words("comparator", "zh"), **words("comparator", "en")}
        self.comparator_re = _alternation(self.comparator, english_ok=True)
        self.continuation = tuple(sorted({**words("study_continuation", "zh"),
                                          **words("study_continuation", "en")}, key=len, reverse=True))
        # continuation cues that refer back to the study itself ('他们', 'The authors'): they carry a study
        # over a paragraph break, where a mere connective ('此外') does not
        self.referring = tuple(sorted((w for w, v in {**words("study_continuation", "zh"),
                                                       **words("study_continuation", "en")}.items() if v == "refer"),
                                      key=len, reverse=True))
        self.breaks = tuple(sorted({**words("study_break", "zh"), **words("study_break", "en")},
                                   key=len, reverse=True))
        self.zh_boundary = tuple(sorted(words("scope_boundary", "zh"), key=len, reverse=True))
        self.en_boundary = {w.lower() for w in words("scope_boundary", "en")}
        self.zh_modifiers = tuple(sorted(words("modifier", "zh"), key=len, reverse=True))
        self.en_modifiers = {w.lower() for w in words("modifier", "en")}
        self.int_heads = tuple(sorted({**words("intervention_head", "zh"), **words("intervention_head", "en")},
                                      key=len, reverse=True))
        # class words ('treatment', '抗体'): an agent that is only one of them names no treatment (GENERIC_AGENT_RE)
        self.generic_heads = frozenset(k.lower() for k, v in {**words("intervention_head", "zh"),
                                                                **words("intervention_head", "en")}.items()
                                       if v == "generic")
        self.int_verbs_zh = tuple(sorted(words("intervention_verb", "zh"), key=len, reverse=True))
        self.int_verbs_en = tuple(sorted(words("intervention_verb", "en"), key=len, reverse=True))
        # connectives, adverbs, negations and hedges: a phrase that is one of them names nothing
        self.function_words = {r["cue"].lower() for r in rules.cues if r["category"] in FUNCTION_WORD_CATEGORIES}
        self.zh_events = words("outcome_event", "zh")
        self.zh_events_re = _alternation(self.zh_events)
        self.own_parts = {k.lower(): v for k, v in {**words("own_study", "zh"), **words("own_study", "en")}.items()}
        self.polarity_good = tuple(words("polarity_good", "zh")) + tuple(words("polarity_good", "en"))
        self.polarity_bad = tuple(words("polarity_bad", "zh")) + tuple(words("polarity_bad", "en"))


def _alternation(words: Iterable[str], english: bool = False, english_ok: bool = False) -> re.Pattern | None:
    items = sorted({w for w in words if w}, key=len, reverse=True)
    if not items:
        return None
    parts = []
    for w in items:
        # PDF line breaks fall inside Chinese words ('显著降\n低'): allow whitespace between characters
        esc = r"\s*".join(re.escape(ch) for ch in w) if HAN.search(w) else re.escape(w)
        if english or (english_ok and re.fullmatch(r"[A-Za-z][A-Za-z \-]*", w)):
            esc = rf"(?<![A-Za-z]){esc}(?![A-Za-z])"
        parts.append(esc)
    return re.compile("|".join(parts), re.I if english else 0)


# ----------------------------------------------------------------------------- text helpers


def clean_span_text(text: str) -> str:
    """Collapse PDF line breaks: removed between Chinese characters, else one space.

    Args:
        text: a span of ``Document.text``.

    Returns:
        The span as one line ('骨小梁\\n变厚' -> '骨小梁变厚').
    """
    text = re.sub(r"(?<=[\u4e00-\u9fff（）])\s*\n\s*(?=[\u4e00-\u9fff（）])", "", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"[ \u3000]{2,}", " ", text).strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, clause punctuation and unbalanced parenthesis halves from both ends of a span; a
    closing parenthesis that balances one inside the span stays ('胰岛素样生长因子-I(…，IGF-I)')."""
    def balance(s: int, e: int) -> int:
        span = text[s:e]
        return span.count("(") + span.count("（") - span.count(")") - span.count("）")

    while start < end and (text[start].isspace() or text[start] in "，,；;、:：)）"
                           or (text[start] in "(（" and balance(start, end) > 0)):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "，,；;、:：(（"
                           or (text[end - 1] in ")）" and balance(start, end) < 0)):
        end -= 1
    return start, end


def _paren_depth_map(text: str, start: int, end: int) -> list[int]:
    depth, out = 0, []
    for ch in text[start:end]:
        if ch in OPEN_PARENS:
            depth += 1
        out.append(depth)
        if ch in CLOSE_PARENS and depth > 0:
            depth -= 1
    return out


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of ``text[start:end]`` at commas and semicolons outside parentheses.

    Args:
        text: the document text.
        start, end: the sentence span.

    Returns:
        ``(start, end)`` offsets of each non-empty clause.
    """
    depth = _paren_depth_map(text, start, end)
    spans, s = [], start
    for i in range(start, end):
        if (text[i] in CLAUSE_PUNCT or (text[i] == "." and _han_stop(text, i))) and depth[i - start] == 0:
            if text[s:i].strip():
                spans.append(_trim(text, s, i))
            s = i + 1
    if text[s:end].strip():
        spans.append(_trim(text, s, end))
    return [sp for sp in spans if sp[1] > sp[0]]


def _han_stop(text: str, i: int) -> bool:
    """Whether the half-width '.' at ``i`` ends a Chinese clause ('…趋势.方法:…'): Chinese (or a closing
    parenthesis) before it and Chinese after it, so decimals ('0.05') and English stay whole."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(HAN.match(after)) and (bool(HAN.match(before)) or before in CLOSE_PARENS)


def _is_zh(text: str) -> bool:
    return bool(HAN.search(text))


# ----------------------------------------------------------------------------- fallbacks


def fallback_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences when the segment stage has not run: split at 。！？；, '. ', tabs and headings.

    Args:
        text: the document text.

    Returns:
        Sentences with offsets; ``section`` is 'body'.
    """
    spans, start = [], 0
    refs = list(REFERENCES_RE.finditer(text))
    limit = refs[-1].start() if refs else len(text)
    text = text[:limit]
    for m in SENTENCE_END_RE.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for i, (s, e) in enumerate(spans):
        while s < e and text[s].isspace():
            s += 1
        out.append(Sentence(i, s, e, "zh" if _is_zh(text[s:e]) else "en", "body", text[s:e]))
    return tuple(out)


def expand_refs(body: str) -> tuple[str, ...]:
    """Reference numbers of a marker body: '13,14' -> 13, 14; '2-4' -> 2, 3, 4."""
    refs: list[str] = []
    for part in re.split(r"[,，、]", body):
        nums = re.split(r"\s*[-–—~～]\s*", part.strip())
        if len(nums) == 2 and nums[0].isdigit() and nums[1].isdigit() and 0 < int(nums[1]) - int(nums[0]) < 30:
            refs.extend(str(n) for n in range(int(nums[0]), int(nums[1]) + 1))
        else:
            refs.extend(n for n in nums if n.isdigit())
    return tuple(dict.fromkeys(refs))


def fallback_citations(text: str, sentences: tuple[Sentence, ...]) -> tuple[Citation, ...]:
    """Bracket markers and the author cue before them, when the citations stage has not run.

    Args:
        text: the document text.
        sentences: the document's sentences.

    Returns:
        Citations with ``first_author`` from '陶晖等[31]' / 'Wagner 等[7]' / 'Liu[7]'.
    """
    out = []
    for sent in sentences:
        for m in CITE_RE.finditer(text, sent.start, sent.end):
            before = text[max(sent.start, m.start() - 24):m.start()]
            author, cue_start = None, None
            am = ZH_AUTHOR_RE.search(before) or EN_AUTHOR_RE.search(before)
            if am and (am.re is EN_AUTHOR_RE or "等" in am.group(0)):
                author = am.group(1).strip()
                cue_start = m.start() - len(before) + am.start()
            out.append(Citation(sent.sent_id, expand_refs(m.group(1)), m.start(), m.end(), m.group(0).strip(),
                                author, cue_start))
    return tuple(out)


# ----------------------------------------------------------------------------- the stage


class TupleExtractor:
    """Builds StudyTuples from direction cues, citations and mentions.

    Args:
        rules: the loaded rule tables (``rules/cues.tsv`` and ``concepts.tsv`` polarity).
    """

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.lex = _Lexicon(rules)
        # the Chinese population words ('大鼠', '患者'), longest first, for cutting a treated population off an outcome
        self._zh_species = tuple(sorted((w for w in self.lex.species if _is_zh(w)), key=len, reverse=True))
        # per document (set by _own_results): sentence id -> the spans of it that are a results part
        self._own_spans: dict[int, list[tuple[int, int]]] = {}
        # per document (set by extract): arm name -> the treatment that arm received
        self._arms: dict[str, tuple[str, int, int]] = {}

    # -- public
    def __call__(self, doc: Document) -> Document:
        sentences = doc.sentences or fallback_sentences(doc.text)
        citations = _plausible_citations(doc.citations or fallback_citations(doc.text, sentences), doc)
        tuples = self.extract(doc, sentences, citations)
        seen = {(t.refs, t.outcome_text, t.direction) for t in tuples}
        tuples += self.extract_tables(doc, citations, start_id=len(tuples), seen=seen)
        return replace(doc, tuples=tuple(tuples), studies=_studies(tuples))

    # -- text
    def extract(self, doc: Document, sentences: tuple[Sentence, ...],
                citations: tuple[Citation, ...]) -> list[StudyTuple]:
        """Tuples from running text, one per (study, intervention, outcome) claim."""
        text = doc.text
        by_sent: dict[int, list[Citation]] = {}
        for c in citations:
            by_sent.setdefault(c.sent_id, []).append(c)
        refs_year = {r.ref_num: r for r in doc.references}
        # One mention per span: a head term nested in a longer mention is not a second argument.
        mentions = sorted((m for m in doc.mentions if (USE_MODEL_MENTIONS or m.source != "model")
                           and m.flag != NESTED_FLAG), key=lambda m: m.start)
        self._mentions = [m for m in mentions if m.label in TREATMENT_LABELS]
        out: list[StudyTuple] = []
        carry: _StudyState | None = None
        prev: Sentence | None = None
        para_breaks = _paragraph_breaks(text)
        prev_joins, group_subject = False, None
        # the last intervention named in the paragraph, for '这种/该疗法…' (ZH_DEMONSTRATIVE_RE)
        anaphor: tuple[str, int, int] | None = None
        # the paragraph's topic: the last sentence subject that names a treatment ('瘦素是一种…。它不仅…')
        topic: tuple[str, int, int] | None = None
        para_first = 0  # index of the paragraph's first sentence, for generic agents (GENERIC_AGENT_RE)
        self._arms = self._arm_definitions(text)
        own = self._own_results(doc, sentences)
        self_state = self._self_state(doc, mentions) if own else None
        for idx, sent in enumerate(sentences):
            if sent.section in ("references", "title", "authors", "keywords_zh", "keywords_en", "table"):
                carry = None
                continue
            gap = text[prev.end:sent.start] if prev is not None else ""
            if prev is not None and (prev.section != sent.section or HEADING_RE.match(text[max(0, sent.start - 1):sent.end] if text[max(0, sent.start - 1):sent.start] == "\n" else "")
                                     or (para_breaks and PARAGRAPH_RE.search(gap))
                                     or ("\n" in gap and "\t" in text[sent.start:text.find("\n", sent.start)])):
                # new section, heading, paragraph, or a new table row: the carried study ends, except that a
                # paragraph opening on a referring cue ('他们…', 'The authors…') goes on with it
                opening = text[sent.start:sent.end].lstrip()[:MAX_LEAD_CUE_CHARS]
                if not (prev.section == sent.section and carry is not None and carry.opened
                        and any(opening.lower().startswith(w.lower()) for w in self.lex.referring)):
                    carry = None
                anaphor = topic = None
                para_first = idx
            prev = sent
            stext = text[sent.start:sent.end]
            if stext.rstrip().endswith(("？", "?")):
                continue
            cits = sorted(by_sent.get(sent.sent_id, []), key=lambda c: c.start)
            joined = prev_joins
            prev_joins = stext.rstrip().endswith(CLAUSE_JOINERS)
            if not joined:
                group_subject = None
            ahead = [] if cits else self._cits_ahead(sentences, idx, by_sent, text)
            # the sentence opening, case-folded for English cues ('Taken together, …', 'In conclusion, …')
            lead = stext.lstrip()[:MAX_LEAD_CUE_CHARS]
            lead = lead if _is_zh(lead[:2]) else lead.lower()
            if not cits and carry is not None:
                strong = carry.opened and sent.sent_id - carry.last_sent <= MAX_CARRY_SENTENCES
                opening = _first_clause(stext)
                if any(lead.startswith(b.lower()) for b in self.lex.breaks) or not (
                        strong or any(lead.startswith(c.lower()) for c in self.lex.continuation)
                        or any(c in opening for c in self.lex.continuation if len(c) >= CONTINUATION_MIN_CHARS)):
                    carry = None
            studies = [self._state(c, sent, text, refs_year) for c in cits]
            if ahead and not (joined and carry is not None and carry.opened and carry.last_sent == sent.sent_id - 1):
                # '…促进A增殖；诱导B改善；使C增加[40]。': the closing marker governs the earlier clauses
                cits = ahead
                studies = [replace(self._state(c, sent, text, refs_year), opened=False) for c in ahead]
            for st in studies:
                self._describe_study(st, text, sent)
            if carry is not None:
                self._describe_study(carry, text, sent)
            claims = self._sentence_claims(text, sent, mentions)
            if claims and not _is_zh(stext) and EN_PARTICIPANT_RE.search(stext):
                # who the participants were, not what the treatment did: the sentence's claims go, except a
                # clause outside the participant phrase that names its own agent ('…, while X increased BMD')
                bad = [(cs, ce) for cs, ce in split_clauses(text, sent.start, sent.end)
                       if EN_PARTICIPANT_RE.search(text, cs, ce)]
                claims = [c for c in claims if c.subject is not None
                          and not any(cs <= c.cue.start < ce for cs, ce in bad)]
            sent_subject = self._sentence_subject(text, sent) or group_subject
            topic = self._topic(text, sent, sent_subject, mentions) or topic
            group_subject = sent_subject
            last_subject = None
            in_own = sent.sent_id in own and not by_sent.get(sent.sent_id) and not CAPTION_RE.match(stext)
            if in_own and not claims and not _is_zh(stext):
                claims = self._en_arm_value_claims(text, sent)
            for claim in claims:
                if in_own and sent.sent_id in self._own_spans and not any(
                        a <= claim.cue.start < b for a, b in self._own_spans[sent.sent_id]):
                    continue  # the aim or methods part of a sentence that runs its labels together
                study = self_state if in_own else self._governing(claim.cue.start, cits, studies, sent, text) or carry
                if not in_own and any(c.start >= claim.cue.start and EN_AGREEMENT_RE.search(text, claim.cue.start, c.start)
                                      for c in cits) and study not in studies:
                    continue  # the discussion's own finding compared with a cited one: no carried study either
                if study is None or (claim.hedged and not by_sent.get(sent.sent_id)):
                    continue
                if claim.direction != "no_change" and NOT_SIGNIFICANT_AFTER_RE.search(text, claim.cue.end, sent.end):
                    # 'X was higher in the A group, but the differences were not statistically significant'
                    claim = replace(claim, direction="no_change")
                if claim.direction == "no_change" and (EN_BASELINE_RE if not _is_zh(stext) else ZH_BASELINE_RE).search(
                        text, *next(((a, b) for a, b in split_clauses(text, sent.start, sent.end) if a <= claim.cue.start < b),
                                     (sent.start, sent.end))):
                    continue  # the arms before treatment were alike: comparability, not an effect
                outcome_words = clean_span_text(text[claim.start:claim.end]).lower()
                if (outcome_words in self.lex.function_words or outcome_words in ZH_PRONOUNS
                        or ZH_NOT_OUTCOME_RE.search(outcome_words)
                        or re.fullmatch(r"[\u4e00-\u9fff]", outcome_words) or outcome_words.endswith(ZH_CONDITION_ENDS)):
                    # '并且增加…' cut to '且', '所', '当增加硬度时' (the manipulation, not an outcome)
                    continue
                if not _is_zh(outcome_words) and _en_clause_fragment(outcome_words):
                    continue  # 'indicating', 'greater', 'if levels', 'after training'
                if in_own and not (self._measurable(text, claim, mentions) or (not _is_zh(stext) and P_VALUE_RE.search(stext))):
                    continue
                # '外泌体下调 A 的表达，增强 B 的表达': the subject carries to the next verb clause
                last_subject = (claim.subject if claim.carries else None) or last_subject
                if claim.association and in_own:
                    # 'A was associated with B' in the results: the exposure is A, never the arm or the paper's treatment
                    candidates = (claim.subject,)
                elif in_own:
                    # the paper's own groups: the treated group named in the sentence, else the title's treatment
                    group = self._group_treatment(text, sent, mentions, claim.cue.start)
                    candidates = (group, claim.subject, last_subject, study.intervention, sent_subject)
                else:
                    refers_back = self._named_before(text, sentences, idx, para_first, (anaphor, topic)) \
                        if ZH_DEMONSTRATIVE_RE.match(stext) else None
                    candidates = (claim.subject, last_subject, study.intervention, refers_back, sent_subject,
                                  # a cited trial's treated arm: 'FES组治疗后骨密度下降率明显低于对照组'
                                  self._named_group(text, sent, mentions, claim.cue.start) if _is_zh(stext) else None,
                                  study.exposure,
                                  # English results name the treated arm: 'increased in the MSC group'
                                  None if _is_zh(stext) else self._group_treatment(text, sent, mentions,
                                                                                   claim.cue.start),
                                  self._row_treatment(text, sent) if sent.section == "table_row" else None)
                candidates = tuple(_clean_agent(c) for c in candidates)
                named = [c for c in candidates if c is not None and self._nameable(c, mentions, text)
                         and not (c[1] <= claim.start and claim.end <= c[2])]  # never the whole outcome
                # a candidate naming a treatment (cell, drug, procedure) beats a disease or model exposure;
                # in the paper's own results the group the sentence names comes first
                interv = next((c for c in named if not in_own and c[1] >= 0 and _best_mention(
                    mentions, c[1], c[2], TREATMENT_LABELS) is not None), named[0] if named else None)
                if interv is None and not in_own and topic is not None and ZH_ZERO_SUBJECT_RE.match(stext):
                    # '…LMMS是…疗法之一。因此，可以改善骨形态[39]': a subjectless consequence clause continues
                    # the paragraph's topic (zero anaphora)
                    interv = topic
                if interv is not None and not in_own and self._model_only(text, interv, mentions):
                    # '构建去卵巢大鼠模型，并给予X灌胃…骨密度升高': the model is the setting, X the treatment (same
                    # sentence, else the sentence before in the paragraph)
                    inner = [m for m in self._mentions if interv[1] <= m.start and m.end <= interv[2]
                             and m.label in MODEL_TREATMENT_LABELS]  # 'OVX mice given puerarin' -> puerarin
                    if inner:
                        interv = (inner[-1].text, inner[-1].start, inner[-1].end)
                    elif interv not in (_clean_agent(claim.subject), _clean_agent(last_subject)):
                        # a model that is the clause's own (or carried) subject ('微重力也能抑制…') is the claimed cause
                        interv = self._treatment_near(sentences, idx, para_first, claim.cue.start) or interv
                taking = ZH_TAKING_RE.search(text, sent.start, claim.cue.start) if _is_zh(stext) else None
                if taking is not None and claim.start <= taking.start() + 2 and not self._generic(
                        (taking.group("x"), taking.start("x"), taking.end("x"))):
                    # '服用X的患者骨折风险升高': the population is defined by what it took, X is the agent
                    interv = (clean_span_text(taking.group("x")), taking.start("x"), taking.end("x"))
                arms = (EN_TWO_ARMS_RE if not _is_zh(stext) else ZH_TWO_ARMS_RE).search(text, sent.start, sent.end)
                if arms is not None:
                    # 'similar for patients receiving A or B': the comparison is A against B, so A is the agent
                    a_s, a_e = _trim(text, arms.start("a"), arms.end("a"))
                    cand = (clean_span_text(text[a_s:a_e]), a_s, a_e)
                    if self._nameable(cand, mentions, text) and not self._generic(cand):
                        interv = cand
                if interv is not None and self._arm_key(interv[0]) in self._arms:
                    interv = self._arms[self._arm_key(interv[0])]  # 'in group I' -> the treatment group I received
                if interv is not None and self._generic(interv) and interv[2] >= 0 and BLOCKER_AFTER_RE.match(text, interv[2]):
                    interv = None  # '加入抗体阻断剂后…': the blocker's effect; the study's treatment is not its agent
                if interv is not None and self._generic(interv):
                    # 'the intervention groups', '抗体': the treatment named before in the paragraph, or the study's
                    interv = self._named_before(text, sentences, idx, para_first,
                                                (anaphor, topic, self_state.intervention if in_own else None))
                if interv is None:
                    continue
                if interv != _clean_agent(claim.subject) and _is_zh(stext) and self._blocked(text, sent, claim, interv):
                    continue  # '在应用 ERK 阻断剂后，Wnt10b 降低': the blocker's effect, not the study treatment's
                for agent in self._coordinated_agents(text, sent, interv, mentions):
                    t = self._tuple(len(out), doc, sent, study, claim, agent, mentions, text)
                    if t is not None:
                        out.append(t)
                anaphor = interv
                study.last_sent = sent.sent_id
            if in_own:
                continue
            # the study that continues into the next sentence
            opened = [s for s in studies if s.opened]
            if opened:
                carry = opened[-1]
                carry.last_sent = sent.sent_id
            elif studies:
                carry = replace(studies[-1], opened=False, last_sent=sent.sent_id)
            elif carry is not None:
                carry.last_sent = sent.sent_id
        return out

    # -- the paper's own study (original articles)
    def _own_part(self, label: str) -> str | None:
        """The own_study part a heading title or abstract label names ('2 结果' -> results)."""
        label = HEADING_NUMBER_RE.sub("", label).strip().rstrip(":：.").lower()
        if label in self.lex.own_parts:
            return self.lex.own_parts[label]
        for cue, part in self.lex.own_parts.items():
            if label.startswith(cue) and len(label) <= len(cue) + 4:
                return part
        # a combined English label names its parts by their words: 'Design and setting', 'Research design and
        # methods', 'Participants and interventions'; one that holds the results ('Methods and findings',
        # PLoS) is a results part, else the first word that is a label decides
        words = re.findall(r"[a-z]+", label)
        if len(words) <= MAX_COMBINED_LABEL_WORDS:
            parts = [self.lex.own_parts[w] for w in words if w in self.lex.own_parts]
            if parts:
                return "results" if "results" in parts else parts[0]
        return None

    def _own_results(self, doc: Document, sentences: tuple[Sentence, ...]) -> set[int]:
        """Sentence ids that report the paper's own results: the structured abstract's results part and
        the body's results section (a heading named 结果/Results down to the next heading of its level).
        Empty unless the paper has a methods part, i.e. reports a study of its own (not a review)."""
        headings = [sec for sec in doc.sections if sec.category == "heading"]
        parts = [(sec, self._own_part(sec.title)) for sec in headings]
        has_methods = any(p == "methods" for _, p in parts)
        spans: list[tuple[int, int]] = []
        for k, (sec, part) in enumerate(parts):
            if part != "results":
                continue
            end = next((h.start for h in headings[k + 1:] if h.level <= sec.level), len(doc.text))
            refs = [sec2.start for sec2 in doc.sections if sec2.category == "references" and sec2.start > sec.start]
            spans.append((sec.start, min([end, *refs])))
        own: set[int] = set()
        self._own_spans = {}
        abstract_part: str | None = None
        abstract_labels: set[str] = set()
        for sent in sentences:
            if sent.section in ("abstract_zh", "abstract_en"):
                m = EN_ABSTRACT_LABEL_RE.match(sent.text) or ABSTRACT_LABEL_RE.match(sent.text)
                part = None
                if m:
                    part = self._own_part(m.group(1)) or next(
                        (p for cue, p in self.lex.own_parts.items()
                         if _is_zh(cue) and m.group(1).startswith(cue)), None)
                if part is not None:
                    abstract_part = part
                    abstract_labels.add(part)
                    if "method" in m.group(1).lower():  # 'Methods and findings' also reports the methods
                        abstract_labels.add("methods")
                # labels run together inside the sentence: keep only its results stretches
                spans_in: list[tuple[int, int]] = []
                res_start = sent.start if abstract_part == "results" else None
                for lm in INLINE_LABEL_RE.finditer(sent.text):
                    g = 1 if lm.group(1) is not None else 2
                    inline = self._own_part(lm.group(g))
                    if inline is None:
                        continue
                    abstract_labels.add(inline)
                    pos = sent.start + lm.start(g)
                    if inline == "results" and res_start is None:
                        res_start = pos
                    elif inline != "results" and res_start is not None:
                        spans_in.append((res_start, pos))
                        res_start = None
                    abstract_part = inline
                if res_start is not None:
                    spans_in.append((res_start, sent.end))
                if spans_in:
                    own.add(sent.sent_id)
                    if spans_in != [(sent.start, sent.end)]:
                        self._own_spans[sent.sent_id] = spans_in
            else:
                abstract_part = None
                if any(s <= sent.start < e for s, e in spans):
                    own.add(sent.sent_id)
        if not (has_methods or "methods" in abstract_labels):
            return self._unstructured_own(doc, sentences) if not (abstract_labels or any(p for _, p in parts)) else set()
        return own

    def _unstructured_own(self, doc: Document, sentences: tuple[Sentence, ...]) -> set[int]:
        """Own-result sentences of an unstructured abstract ('检测…，探讨…。与对照组相比，X显著增高（P<0.05）。'):
        every abstract sentence after the first (the aim), when the paper is not a review and its abstract
        reports a statistical test. Empty otherwise."""
        abstracts = [sec for sec in doc.sections if sec.category in ("abstract_zh", "abstract_en")]
        titles = " ".join(doc.text[sec.start:sec.end] for sec in doc.sections if sec.category == "title")
        if not abstracts and len(doc.text) <= MAX_BARE_ABSTRACT_CHARS and not any(
                sec.category == "heading" for sec in doc.sections):
            # a bare abstract (title and one paragraph, as databases export them): its body is the abstract
            abstracts = [sec for sec in doc.sections if sec.category == "body"]
        body = " ".join(doc.text[sec.start:sec.end] for sec in abstracts)
        if not abstracts or REVIEW_RE.search(titles + " " + body[:UNSTRUCTURED_HEAD_CHARS]) or not STATISTIC_RE.search(body):
            return set()
        own: set[int] = set()
        for sec in abstracts:
            inside = [x for x in sentences if sec.start <= x.start < sec.end and x.section == sec.category]
            own.update(x.sent_id for x in inside[1:])
        return own

    def _self_state(self, doc: Document, mentions: list[Mention]) -> _StudyState:
        """The paper's own study: its treatment is the title's subject ('关节腔注射X可延缓…' -> X),
        else the first treatment-like mention of the title; design and species from the abstract."""
        st = _StudyState((), None, SELF_STUDY_ID, True)
        titles = [sec for sec in doc.sections if sec.category == "title"]
        for sec in titles:
            zm = ZH_TITLE_TREATMENT_RE.search(doc.text, sec.start, sec.end)
            if zm is not None:
                x = ZH_TITLE_AIM_PREFIX_RE.sub("", zm.group("x"))
                xs = zm.start("x") + len(zm.group("x")) - len(x)
                if len(x) >= 2:
                    st.intervention = (x, xs, xs + len(x))
                    break
            cand = self._clause_subject(doc.text, sec.start, sec.end, to_cue=True)
            # a whole title is a topic, not a treatment ('手术部位感染致直接经济损失病例对照研究')
            if (cand is not None and self._nameable(cand, mentions, doc.text) and len(cand[0]) <= MAX_INTERVENTION_CHARS
                    and len(cand[0]) < TITLE_SUBJECT_SHARE * len(clean_span_text(doc.text[sec.start:sec.end]))):
                st.intervention = cand
                break
            m = _best_mention([x for x in mentions if sec.start <= x.start < sec.end], sec.start, sec.end,
                              ("INTERVENTION", "CELL", "GENE_PROTEIN"))
            if m is not None:
                st.intervention = (m.text, m.start, m.end)
                break
        if st.intervention is None:
            # no treatment in the title: the aim's 'effect of X on …' (title first, then the English abstract)
            spans = [(sec.start, sec.end) for sec in doc.sections if sec.category in ("title", "abstract_en")]
            for s, e in spans[:3]:
                m = EN_OWN_TREATMENT_RE.search(doc.text, s, min(e, s + 2000))
                if m is not None:
                    g = "x" if m.group("x") is not None else "y"
                    st.intervention = (clean_span_text(m.group(g)), m.start(g), m.end(g))
                    break
        for sec in doc.sections:
            if sec.category in ("abstract_zh", "abstract_en"):
                sent = Sentence(-1, sec.start, sec.end, "zh" if sec.category == "abstract_zh" else "en", sec.category,
                                doc.text[sec.start:sec.end])
                intervention = st.intervention
                self._describe_study(st, doc.text, sent)
                st.intervention = intervention
        return st

    def _group_treatment(self, text: str, sent: Sentence, mentions: list[Mention],
                         cue_pos: int) -> tuple[str, int, int] | None:
        """The treated group a results sentence names for the claim whose cue is at ``cue_pos``
        ('MSC组骨密度高于模型组' -> MSC): the last group before the cue that is not a comparator and
        not the object of 较/比/与, else the first such group after it."""
        regex = ZH_GROUP_RE if _is_zh(text[sent.start:sent.end]) else EN_GROUP_RE
        found = [m for m in regex.finditer(text, sent.start, sent.end)
                 if not re.search(r"(?:较|比|与|和|同|跟|than|with|versus|vs\.?)\s*$", text[max(sent.start, m.start() - 8):m.start()])]
        # a sentence that runs abstract parts together: only its results stretch names the arms
        lo, hi = next(((a, b) for a, b in self._own_spans.get(sent.sent_id, ()) if a <= cue_pos < b),
                      (sent.start, sent.end))
        found = [m for m in found if lo <= m.start() and m.end() <= hi]
        before = [m for m in found if m.start() < cue_pos][::-1]
        after = [m for m in found if m.start() >= cue_pos]
        comparators = {c.lower() for c in self.lex.comparator}
        for m in before + after:
            g = 1 if m.group(1) is not None else 2
            name = clean_span_text(m.group(g))
            for w in self.lex.zh_boundary:  # 'MicroCT检测发现BMP9+SFRP5组' -> BMP9+SFRP5
                if len(w) >= 2 and w in name:
                    name = name.split(w)[-1]
            name = _strip_prefixes(name, ("与", "和", "较", "比", "同", "跟", "the", *self.lex.zh_boundary))
            if regex is EN_GROUP_RE:
                # 'of blastocysts were obtained in Group B than Group': the arm is after the last preposition
                # or comparison word; a name still holding a verb is a clause, not an arm
                name = re.split(r"\s+(?:than|compared|versus|vs\.?)\b", name, flags=re.I)[0]
                name = EN_GROUP_NAME_CUT_RE.split(name)[-1].strip()
                if g == 2:
                    name = "group " + name
                if EN_GROUP_NAME_VERB_RE.search(name) or re.match(r"(?:both|all|each|either|two|three|four|these|those|other)\b", name, re.I):
                    continue
                if re.search(r"\b(?:in|of|for|with|and|than)$", name, re.I) or (
                        self.lex.en_dir_re is not None and self.lex.en_dir_re.search(name)):
                    continue  # 'of additional propofol increased in Group …': a clause, not an arm's name
            if regex is ZH_GROUP_RE:
                # 'IL-6含量均显著低于SIRS组' -> SIRS; '观察两组', '4个亚组', '同组' name no arm
                cut = ZH_GROUP_NAME_CUT_RE.match(name)
                if cut is not None and cut.group(0).endswith(("于", "较", "比", "与")):
                    continue  # the object of a comparison ('低于SIRS组') is the comparator
                name = name[cut.end():] if cut is not None else name
                if not name or ZH_NOT_ARM_RE.search(name):
                    continue
                if name.endswith(ZH_MODEL_ARM) and len(name) > len(ZH_MODEL_ARM) + 1:
                    # 'SIRS模型组…较正常对照组明显增高': the model is the exposure the sentence compares
                    name = name[: -len(ZH_MODEL_ARM)]
                    s0 = text.find(name, m.start(g), m.end(g) + 1)
                    if self._nameable((name, s0, s0 + len(name)), mentions, text):
                        return (name, s0, s0 + len(name))
                    continue
            low = name.lower()
            full = low + ("组" if regex is ZH_GROUP_RE else " group")
            if self._arm_key(full) in self._arms:
                return self._arms[self._arm_key(full)]  # 'in the treatment arm' -> what the methods gave that arm
            if (not name or low in comparators or full in comparators
                    or any(low.endswith(c) or c.endswith(low) or full.endswith(c) for c in comparators if len(c) >= 2)
                    or low in ARM_LABELS):
                continue
            s = text.find(name, m.start(g), m.end(g) + 1)
            cand = (name, s, s + len(name))
            if self._nameable(cand, mentions, text):
                return cand
        return None

    def _named_group(self, text: str, sent: Sentence, mentions: list[Mention],
                     cue_pos: int) -> tuple[str, int, int] | None:
        """The treated arm of a cited trial, only when its name is a treatment: an abbreviation ('FES组') or
        a treatment mention. Review sentences also name arms by their design ('实验组', '单纯药物组'), which
        say nothing about the treatment.

        Args:
            text: the document text.
            sent: the sentence.
            mentions: the document's mentions.
            cue_pos: where the claim's cue starts.

        Returns:
            (name, start, end) of the arm, or None.
        """
        group = self._group_treatment(text, sent, mentions, cue_pos)
        if group is None or not (ABBREVIATION_RE.search(group[0]) or (
                group[1] >= 0 and _best_mention(mentions, group[1], group[2], TREATMENT_LABELS) is not None)):
            return None
        return group

    def _measurable(self, text: str, claim: _Claim, mentions: list[Mention]) -> bool:
        """Whether a claim's outcome names a biomedical quantity: it holds a mention (any label) or
        an abbreviation ('ALP', 'OARSI'). Own-results sentences also describe procedures
        ('切口未见异常', '大鼠苏醒'), which this keeps out."""
        s, e = claim.start, claim.end
        if not mentions or any(m.start < e and m.end > s and m.label != "SPECIES" for m in _near(mentions, s, e)):
            return True
        phrase = text[s:e].lower()
        return bool(ABBREVIATION_RE.search(text[s:e])) or any(h in phrase for h in MEASURE_HEADS)

    def _coordinated_agents(self, text: str, sent: Sentence, interv: tuple[str, int, int],
                            mentions: list[Mention]) -> list[tuple[str, int, int]]:
        """One agent per coordinated treatment: 'BMP-2 (…), VEGF (…) 和 bFGF (…) 可以促进…' -> BMP-2, VEGF,
        bFGF. The subject is split at ZH_COORD outside parentheses when every part names a treatment
        or gene mention; bare-mention clauses right before the subject's clause join the list."""
        phrase, s, e = interv
        if s < 0 or not _is_zh(text[s:e]):
            return [interv]
        parts = [(a, b) for a, b in self._split_coord(text, s, e)]
        named = [(a, b) for a, b in parts
                 if _best_mention(mentions, a, b, TREATMENT_LABELS) is not None]
        if len(parts) < 2 or len(named) != len(parts):
            return [interv]
        # '例如, X (X), Y (Y) 和 Z (Z) 可以…': earlier comma clauses that are one mention each
        extra = []
        clauses = split_clauses(text, sent.start, sent.end)
        k = next((i for i, (cs, ce) in enumerate(clauses) if cs <= s < ce), None)
        while k is not None and k > 0:
            cs, ce = clauses[k - 1]
            bare = re.sub(r"[(（][^)）]*(?:[)）]|$)|\s", "", text[cs:ce])
            m = next((x for x in mentions if cs <= x.start < ce and x.label in (*TREATMENT_LABELS, "OTHER")
                      and re.sub(r"\s", "", text[x.start:x.end]) == bare), None)
            if m is None:
                break
            extra.insert(0, (m.start, m.end))
            k -= 1
        return [(clean_span_text(text[a:b]), a, b) for a, b in extra + parts]

    def _nameable(self, cand: tuple[str, int, int], mentions: list[Mention], text: str) -> bool:
        """Whether an intervention candidate names something (see INTERVENTION_LABELS): it holds a
        mention of a treatable/exposure type, an intervention head word ('移植', '外泌体') or an
        abbreviation; '细胞内', '有效', '最大程度地' name nothing."""
        phrase, s, e = cand
        phrase = phrase.strip()
        if (len(phrase) < 2 or phrase.startswith(ZH_PRONOUNS) or TIME_RE.search(phrase) or phrase in ZH_ADVERBS
                or phrase in self.lex.zh_dir or any(
                    phrase.endswith(c) and (phrase.startswith(ZH_ADVERBS) or len(phrase) - len(c) < 2)
                    for c in self.lex.zh_dir if len(c) >= 2 and c not in self.lex.int_heads)
                or phrase.lower() in self.lex.function_words or phrase in self.lex.species
                or any(n in phrase for n in self.lex.zh_neg if len(n) > 1)
                or phrase in self.lex.zh_modifiers or re.search(r"[不未]$", phrase)):
            return False
        if _is_zh(phrase) and (phrase in ZH_QUANTIFIERS or phrase.startswith("与") or ZH_AGENT_BAD_TAIL_RE.search(phrase)
                               or ZH_INJURED_TISSUE_RE.match(phrase) or (
                phrase.startswith(ZH_QUANTIFIERS) and any(w in phrase for w in self.lex.species if _is_zh(w)))):
            return False  # '现这些', '致病机制一般认为', '部分大鼠': a remnant or a set of animals, not a treatment
        if any(c in phrase for c, v in self.lex.comparator.items()
               if len(c) >= 2 and _is_zh(c) and v not in EXPOSURE_COMPARATORS):
            return False  # '同期对照组正常儿童': the comparison group is not the treatment
        if s >= 0 and _best_mention(mentions, s, e, INTERVENTION_LABELS) is not None:
            return True
        if phrase.endswith(ZH_NOT_AGENT_ENDS):
            return False
        if any(h in phrase for h in self.lex.int_heads) or ABBREVIATION_RE.search(phrase):
            return True
        # an unknown term ('中枢途径的瘦素') is accepted when it is a Chinese noun phrase or English words
        return bool(re.search(r"[\u4e00-\u9fff]{2}$|[A-Za-z]{3}", phrase))

    def _generic(self, cand: tuple[str, int, int]) -> bool:
        """Whether an intervention candidate is only a class word (see GENERIC_AGENT_RE): 'the intervention',
        'treatment groups', '抗体', '该药物'.

        Args:
            cand: (text, start, end) of an intervention candidate.

        Returns:
            True when the candidate names no particular treatment.
        """
        m = GENERIC_AGENT_RE.search(clean_span_text(cand[0]).strip())
        return m is not None and m.group("head").lower() in self.lex.generic_heads

    @staticmethod
    def _arm_key(name: str) -> str:
        """The lookup key of an arm name: 'the treatment arm' and 'the treatment' -> 'treatment', 'Group I' ->
        'group i', 'A组' -> 'a'."""
        key = re.sub(r"^(?:the|a|an)\s+", "", clean_span_text(name).strip().lower())
        if not key.startswith("group "):
            key = re.sub(r"\s*(?:arm|group|组)$", "", key)
        return key

    def _arm_definitions(self, text: str) -> dict[str, tuple[str, int, int]]:
        """The treatment of each arm the paper defines (EN_ARM_AFTER_RE, EN_ARM_BEFORE_RE, ZH_ARM_DEF_RE).

        Args:
            text: the document text.

        Returns:
            arm key (see :meth:`_arm_key`) -> (treatment, start, end); the first definition of an arm wins.
        """
        out: dict[str, tuple[str, int, int]] = {}
        for regex in (EN_ARM_AFTER_RE, EN_ARM_BEFORE_RE, ZH_ARM_DEF_RE):
            for m in regex.finditer(text):
                x = m.group("x")
                frame = EN_ARM_FRAME_RE.match(x) if regex is EN_ARM_AFTER_RE else None
                xs = m.start("x") + (frame.end() if frame else 0)
                xe = m.end("x")
                given = EN_ARM_GIVEN_AFTER_RE.match(text, m.end()) if regex is EN_ARM_AFTER_RE else None
                if given is not None:
                    xs, xe = given.start("x"), given.end("x")  # 'the other eye (intervention group) received NS'
                dur = ARM_DURATION_TAIL_RE.search(text, xs, xe)
                xs, xe = _trim(text, xs, dur.start() if dur is not None and dur.start() > xs else xe)
                phrase = clean_span_text(text[xs:xe])
                key = self._arm_key(m.group("label") + ("组" if regex is ZH_ARM_DEF_RE else ""))
                words = phrase.lower().split()
                if not words or words[0] in EN_NP_BAD_START | {"and", "or", "without"} or words[-1] in EN_NP_BAD_END:
                    continue  # 'with', 'or without', 'nutrition with': a cut, not a treatment
                if regex is not ZH_ARM_DEF_RE and EN_FINITE_RE.search(phrase):
                    continue  # 'optic capture was performed in 18 eyes': a clause about the arm
                if len(phrase) >= 2 and key not in out and not self._generic((phrase, xs, xe)) and not any(
                        c.lower() == phrase.lower() for c in self.lex.comparator):
                    out[key] = (phrase, xs, xe)
        return out

    def _model_only(self, text: str, cand: tuple[str, int, int], mentions: list[Mention]) -> bool:
        """Whether an intervention candidate is headed by the disease model or its inducer ('去卵巢', 'OVX
        rats given X', '建去卵巢') rather than a treatment: it overlaps a MODEL mention, and the model is no
        cause in its clause ('去卵巢可导致…', 'OVX induced bone loss' keep the model as agent).

        Args:
            text: the document text.
            cand: (text, start, end) of the candidate.
            mentions: the document's mentions.

        Returns:
            True when the candidate is a model and a treatment named nearby should replace it.
        """
        phrase, s, e = cand
        if s < 0 or _best_mention(mentions, s, e, ("MODEL",)) is None:
            return False
        return MODEL_CAUSE_RE.match(text, e) is None

    def _treatment_near(self, sentences: tuple[Sentence, ...], idx: int, para_first: int,
                        cue_pos: int) -> tuple[str, int, int] | None:
        """The treatment a model sentence applies (NEAR_TREATMENT_LABELS): the last such mention before the cue
        in the sentence, else the last one of the previous sentence of the paragraph.

        Args:
            sentences: all sentences.
            idx: index of the current sentence.
            para_first: index of the paragraph's first sentence.
            cue_pos: offset of the claim's cue.

        Returns:
            (text, start, end) of the treatment mention, or None.
        """
        for j in range(idx, max(para_first, idx - 1) - 1, -1):
            sent = sentences[j]
            end = cue_pos if j == idx else sent.end
            found = [m for m in self._mentions if sent.start <= m.start and m.end <= end
                     and m.label in NEAR_TREATMENT_LABELS]
            if found:
                m = found[-1]
                return m.text, m.start, m.end
        return None

    def _named_before(self, text: str, sentences: tuple[Sentence, ...], idx: int, para_first: int,
                      known: tuple[tuple[str, int, int] | None, ...]) -> tuple[str, int, int] | None:
        """The treatment a demonstrative or class word refers to: the first non-generic of the known
        referents (the paragraph's last agent, its topic, the paper's own treatment), else the treatment
        applied in the nearest sentence of the paragraph ('给予大鼠X。该药物…', 'treated with X. The treatment…').

        Args:
            text: the document text.
            sentences: all sentences.
            idx: index of the current sentence.
            para_first: index of the paragraph's first sentence.
            known: referents already tracked, best first (None where unknown).

        Returns:
            (text, start, end) of the treatment, or None when the paragraph names none.
        """
        applied = (self._applied_intervention(text, sentences[j]) for j in range(idx, para_first - 1, -1))
        return next((c for c in (*known, *applied) if c is not None and not self._generic(c)), None)

    def _cits_ahead(self, sentences: tuple[Sentence, ...], idx: int, by_sent: dict[int, list[Citation]],
                    text: str) -> list[Citation]:
        """Citations of the semicolon clauses after sentence ``idx`` up to the full stop (CLAUSE_JOINERS)."""
        j = idx
        row = sentences[idx].section == "table_row"
        while j + 1 < len(sentences) and (row or text[sentences[j].start:sentences[j].end].rstrip().endswith(CLAUSE_JOINERS)):
            j += 1
            if sentences[j].section != sentences[idx].section:
                return []
            found = by_sent.get(sentences[j].sent_id)
            if found:
                last = max(found, key=lambda c: c.end)
                # only a marker closing its sentence looks back; an author cue opens what follows it
                if text[last.end:sentences[j].end].strip(" 。.\n，,；;"):
                    return []
                return [last]
        return []

    def _state(self, c: Citation, sent: Sentence, text: str, refs_year: dict) -> _StudyState:
        ref = refs_year.get(c.refs[0]) if c.refs else None
        author = c.first_author
        if author is None and ref is not None and ref.authors:
            author = ref.authors[0]
        cue_pos = c.cue_start if c.cue_start is not None else c.start
        head = clean_span_text(text[sent.start:cue_pos])
        after = text[c.end:c.end + 6]
        opened = (c.cue_start is not None or len(head) <= OPENING_CITATION_CHARS
                  or after.lstrip().startswith(("的研究", "的实验", "的动物", "研究", "发现", "证实", "报道"))
                  or (head.endswith(REPORT_VERBS) and after.lstrip()[:1] in ("，", ",")))
        if text[c.end:sent.end].strip(" 。.\n，,；;") == "":
            opened = False  # a marker at the end of its sentence closes what came before
        return _StudyState(tuple(c.refs), author, "ref:" + ",".join(c.refs), opened,
                           year=ref.year if ref is not None else None)

    def _governing(self, pos: int, cits: list[Citation], studies: list[_StudyState], sent: Sentence,
                   text: str) -> _StudyState | None:
        """The study a cue at ``pos`` belongs to: the last opening marker before it when an author
        name opens it ('王等[3]发现…') or no marker follows; else the first marker after it in the
        sentence (a clause takes the marker that closes it: '…[23]，并且B提高增殖率[24]'), else the
        last marker before it. Only a name written in the text opens a study: the reference list's
        first author (filled in by the citations stage for every marker) does not."""
        before = [(c, s) for c, s in zip(cits, studies) if c.start < pos]
        opened = [(c, s) for c, s in before if s.opened]
        after = [s for c, s in zip(cits, studies) if c.start >= pos and not EN_AGREEMENT_RE.search(text, pos, c.start)]
        if opened and (opened[-1][0].cue_start is not None or not after):
            return opened[-1][1]
        if after:
            return after[0]
        if before:
            return before[-1][1]
        return None

    # -- study description (design, species, route, intervention) from the study's sentences
    def _describe_study(self, st: _StudyState, text: str, sent: Sentence) -> None:
        stext = text[sent.start:sent.end]
        if sent.sent_id in st.sentences:
            return
        st.sentences.append(sent.sent_id)
        lex = self.lex
        if st.species is None and lex.species_re:
            for m in lex.species_re.finditer(stext):
                a, b = sent.start + m.start(), sent.start + m.end()
                if any(x.start <= a and b <= x.end and x.end - x.start > b - a and x.label != "SPECIES"
                       for x in _near(getattr(self, "_mentions", []), a, b)):
                    continue  # '淫羊藿苷' holds 羊 but names a drug, not sheep
                st.species = lex.species.get(m.group(0)) or lex.species.get(m.group(0).lower())
                break
        if st.design is None and lex.design_re:
            m = lex.design_re.search(stext)
            if m:
                st.design = lex.design.get(m.group(0)) or lex.design.get(m.group(0).lower())
        if st.route is None and lex.route_re:
            m = lex.route_re.search(stext)
            if m:
                st.route = lex.route.get(m.group(0)) or lex.route.get(m.group(0).lower())
        if st.dose is None:
            m = DOSE_RE.search(stext)
            if m:
                st.dose = clean_span_text(m.group(1))
        if st.intervention is None:
            st.intervention = self._applied_intervention(text, sent)
        if st.exposure is None:
            st.exposure = self._exposure(text, sent)

    def _topic(self, text: str, sent: Sentence, subject: tuple[str, int, int] | None,
               mentions: list[Mention]) -> tuple[str, int, int] | None:
        """The treatment a sentence makes its topic, for later pronoun subjects ('它', '其').

        A Chinese paragraph opens on its topic ('瘦素是一种脂肪因子，…。…它不仅可以…'): a treatment mention
        that opens the sentence, else a sentence subject holding a treatment mention.

        Args:
            text: the document text.
            sent: the sentence.
            subject: the sentence's subject (``_sentence_subject``), if any.
            mentions: the document's mentions sorted by start.

        Returns:
            (text, start, end) of the topic, or None.
        """
        head = len(text[sent.start:sent.end]) - len(text[sent.start:sent.end].lstrip())
        first = next((m for m in _near(mentions, sent.start, sent.end)
                      if m.start <= sent.start + head + TOPIC_MAX_OFFSET and m.start >= sent.start), None)
        if first is not None and first.label in TREATMENT_LABELS and first.start - sent.start - head <= TOPIC_MAX_OFFSET:
            return clean_span_text(first.text), first.start, first.end
        if subject is not None and subject[1] >= 0 and _best_mention(mentions, subject[1], subject[2],
                                                                     TREATMENT_LABELS) is not None:
            return subject
        return None

    def _treatment_before(self, text: str, vs: int, ve: int, ce: int) -> tuple[str, int, int] | None:
        """'行髓腔内 BMCs移植, …', '将 SAMP6小鼠 BMCs移植到…': a cell or treatment mention that ends
        right before an application verb which ends its clause (or is followed by 后/到/至/入/于) names
        the treatment, with the verb ('BMCs移植')."""
        rest = text[ve:ce].strip()
        if rest and not rest.startswith(("后", "到", "至", "入", "于")):
            return None
        for m in _near(getattr(self, "_mentions", []), vs - 2, vs + 1):
            if m.end <= vs and not text[m.end:vs].strip() and m.end >= vs - 2:
                return clean_span_text(text[m.start:ve]), m.start, ve
        return None

    def _applied_intervention(self, text: str, sent: Sentence) -> tuple[str, int, int] | None:
        """Object of an application verb: '通过尾静脉移植脂肪源性MSCs' -> '脂肪源性MSCs'; the agent of
        an effect study: '研究了X对Y的影响' / 'the effect of X on Y' -> X."""
        m = EFFECT_OF_RE.search(text, sent.start, sent.end)
        if m is not None:
            g = "x" if m.group("x") is not None else "y"
            ps, pe = _trim(text, m.start(g), m.end(g))
            # an abbreviation definition inside the agent is kept whole: 'X (umbilical …, UCB-MSCs)'
            phrase = clean_span_text(text[ps:pe])
            if phrase and len(phrase) <= MAX_INTERVENTION_CHARS * 3 and not phrase.startswith(ZH_PRONOUNS):
                return phrase, ps, pe
        for m in ZH_TREATED_RE.finditer(text, sent.start, sent.end):
            cand = (clean_span_text(m.group(1)), m.start(1), m.end(1))
            if ABBREVIATION_RE.search(cand[0]) or any(h in cand[0] for h in self.lex.int_heads) or _best_mention(
                    getattr(self, "_mentions", []), cand[1], cand[2], TREATMENT_LABELS) is not None:
                return cand
        for cs, ce in split_clauses(text, sent.start, sent.end):
            clause = text[cs:ce]
            if _is_zh(clause):
                hits = sorted((clause.find(v), v) for v in self.lex.int_verbs_zh if v in clause)
                for i, verb in hits:
                    named = self._treatment_before(text, cs + i, cs + i + len(verb), ce)
                    if named is not None:
                        return named
                    if text.startswith(("后", "到", "至"), cs + i + len(verb)) and verb in ("移植", "注射", "输注", "植入"):
                        # '干细胞移植后…': the treatment is the noun phrase before the verb
                        ps, pe = self._np_before(text, cs, cs + i + len(verb))
                        phrase = clean_span_text(text[ps:pe])
                        if (phrase and phrase not in self.lex.int_verbs_zh and len(phrase) <= MAX_INTERVENTION_CHARS
                                and (any(h in phrase for h in self.lex.int_heads) or any(
                                    m.start < pe and m.end > ps and m.label in APPLIED_OBJECT_LABELS
                                    for m in _near(getattr(self, "_mentions", []), ps, pe)))):
                            return phrase, ps, pe
                        continue
                    s = cs + i + len(verb)
                    while s < ce and (text[s] in ZH_VERB_PARTICLES or text[s].isspace()):
                        s += 1
                    e = s
                    depth = 0
                    while e < ce:
                        if text[e] in OPEN_PARENS:
                            depth += 1
                        elif text[e] in CLOSE_PARENS:
                            depth = max(0, depth - 1)
                        elif depth == 0 and e > s and (text.startswith(ZH_OBJECT_END, e) or ZH_MODAL_RE.match(text, e)):
                            break
                        e += 1
                    if text.startswith(ZH_THERAPY_HEAD, e) and not text[e + len(ZH_THERAPY_HEAD):ce].strip():
                        e += len(ZH_THERAPY_HEAD)  # '接受了下肢活动治疗': 治疗 closing the clause names the therapy
                    s, e = _trim(text, s, e)
                    phrase = clean_span_text(text[s:e])
                    if phrase and len(phrase) <= MAX_INTERVENTION_CHARS and not phrase.startswith(ZH_PRONOUNS):
                        if any(h in phrase for h in self.lex.int_heads) or any(
                                m.start < e and m.end > s and m.label in APPLIED_OBJECT_LABELS
                                for m in _near(getattr(self, "_mentions", []), s, e)):
                            return phrase, s, e
            else:
                low = clause.lower()
                for verb in self.lex.int_verbs_en:
                    i = low.find(verb.lower() + " ")
                    if i < 0:
                        continue
                    s = cs + i + len(verb) + 1
                    m = re.match(r"[^,;.]*?(?=\s+(?:in|into|at|for|to|via|through|on|was|were|is|are|had|has|have|"
                                 r"showed|did)\b|[,;.]|$)", text[s:ce])
                    e = s + (m.end() if m else 0)
                    phrase = clean_span_text(text[s:e])
                    if phrase and len(phrase) <= MAX_INTERVENTION_CHARS * 2:
                        return phrase, s, e
        return None

    def _exposure(self, text: str, sent: Sentence) -> tuple[str, int, int] | None:
        """The condition of the studied population: 'SCI 小鼠' -> SCI, 'OP患者' -> OP."""
        stext = text[sent.start:sent.end]
        found = list(EN_EXPOSURE_RE.finditer(stext))
        found += list(ZH_EXPOSURE_RE.finditer(stext))
        for m in found:
            word = m.group(1)
            if HAN.search(word) and (word[-1] in "后的中时" or re.search(r"\d", word)):
                continue
            if (word.startswith(ZH_PRONOUNS) or word in ("正常", "对照", "所有", "健康", "老年", "成年")
                    or word.endswith("动物") or word.lower() in self.lex.function_words
                    or not self._nameable((word, -1, -1), [], text)):
                continue
            if HAN.search(word):
                # keep the head: the last two to four characters after a verb/boundary
                word = _strip_prefixes(word, self.lex.zh_boundary + self.lex.zh_modifiers + ZH_PRONOUNS)
                if len(word) < 2:
                    continue
            s = sent.start + m.start(1) + (len(m.group(1)) - len(word))
            return word, s, s + len(word)
        return None

    def _sentence_subject(self, text: str, sent: Sentence) -> tuple[str, int, int] | None:
        """Subject of the sentence's first clause before a modal/verb cue ('淫羊藿苷可以…')."""
        clauses = split_clauses(text, sent.start, sent.end)
        for cs, ce in clauses[:2]:
            subj = self._clause_subject(text, cs, ce)
            if subj is not None:
                return subj
        if clauses:
            cs, ce = clauses[0]
            m = ZH_COPULA_RE.search(text, cs, ce)
            if m is not None:
                after = (clean_span_text(m.group(1)), m.start(1), m.end(1))
                before = self._clause_subject(text, cs, m.start(), to_cue=True)
                mentions = getattr(self, "_mentions", [])
                # 'X是…最经典的方法': X is the agent; '治疗药物主要是Y': Y is
                if before is not None and (after[0].endswith(ZH_CLASS_NOUNS) or (
                        _best_mention(mentions, before[1], before[2], TREATMENT_LABELS) is not None
                        and _best_mention(mentions, after[1], after[2], TREATMENT_LABELS) is None)):
                    return before
                return after
        return None

    def _clause_subject(self, text: str, cs: int, ce: int, to_cue: bool = False) -> tuple[str, int, int] | None:
        """Subject of a clause: the text before its modal ('可以', '能', '通过') or, with
        ``to_cue``, before its first direction cue ('外泌体下调 MMP13')."""
        clause = text[cs:ce]
        if not _is_zh(clause):
            m = re.match(r"\s*(.{2,200}?)\s+(?:can|could|may|significantly|markedly|also)?\s*"
                         r"(?:increased|decreased|reduced|improved|promoted|inhibited|enhanced|attenuated|"
                         r"suppressed|stimulated|alleviated|induced|restored|prevented)\b", clause)
            if not m or EN_PASSIVE_END_RE.search(m.group(1)):
                return None  # 'BMD was markedly increased': a passive has no agent in the subject
            if EN_REPORT_VERB_RE.search(m.group(1)) or CITE_RE.search(m.group(1)) or len(m.group(1)) > 60:
                # 'Smith et al. [4] showed that MSCs increased': the agent follows the reporting frame
                return en_agent(text, cs + m.start(1), cs + m.end(1))
            lead = EN_SUBJECT_NOISE_RE.match(m.group(1))
            if lead and 0 < lead.end() < len(m.group(1)):
                s = cs + m.start(1) + lead.end()
                return clean_span_text(text[s:cs + m.end(1)]), s, cs + m.end(1)
            s = cs + m.start(1)
            return clean_span_text(m.group(1)), s, s + len(m.group(1))
        m = ZH_MODAL_RE.search(clause)
        stop = m.start() if m else None
        cue = self.lex.zh_dir_re.search(clause) if self.lex.zh_dir_re else None
        if cue is not None and (stop is None or cue.start() < stop) and not (
                stop is not None and not clause[cue.end():stop].strip() and cue.group(0) in self.lex.int_heads):
            # ('机械刺激可以促进…': a cue that is a treatment head right before the modal names the agent)
            stop = cue.start() if (to_cue or cue.group(0) in self.lex.zh_verb_only) else stop
        if to_cue and stop is None:
            stop = len(clause)
        if stop is None or stop == 0:
            return None
        s, e = cs, cs + stop
        # drop citations, author cues and report verbs at the front
        head = text[s:e]
        cm = None
        for cm in CITE_RE.finditer(head):
            pass
        if cm is not None:
            s += cm.end()
        s, e = _trim(text, s, e)
        phrase = text[s:e]
        stripped = _strip_prefixes(phrase, self.lex.breaks + self.lex.continuation + self.lex.zh_boundary
                                   + ("研究发现", "研究表明", "研究显示", "研究证实", "的研究", "的实验", "实验"))
        stripped = re.sub(r"^(?:[^，,]*?(?:发现|显示|表明|证实|证明)(?:了)?)", "", stripped)
        stripped = re.sub(r"^(?:了|在|对|将|把|由于|由|经过|经|是由于|是|当)", "", stripped)
        # 'X是目前唯一具有…': the subject of a copula is the part before 是 (not 还是/或是/但是/于是/总是)
        head = re.split(r"(?<![还或但于总就即也都])是", stripped, maxsplit=1)[0]
        if len(head) >= 2:
            stripped = head
        stripped = re.sub(r"(?:在|于|对|将|把)$", "", stripped)  # '地塞米松在诱导…': a preposition ends the subject
        stripped = re.sub(r"(?:是|则|也|还|均|都|并|明显|显著)+$", "", stripped).strip()
        # '(1)自体 MSCs静脉移植不引起…': enumerators before and negations after the subject are not part of it
        stripped = re.sub(r"^[(（]?\d{1,2}[)）.、]\s*", "", stripped)
        for neg in (*ZH_PSEUDO_NEGATIONS, *self.lex.zh_neg):
            if stripped.endswith(neg) and len(stripped) > len(neg):
                stripped = stripped[: -len(neg)].rstrip()
                break
        connectors = set(self.lex.breaks + self.lex.continuation + self.lex.zh_boundary + self.lex.zh_modifiers)
        if (not stripped or stripped in connectors or stripped.startswith(ZH_PRONOUNS)
                or len(re.sub(r"[(（][^)）]*[)）]", "", stripped)) > MAX_INTERVENTION_CHARS or re.match(r"\d", stripped)):
            return None
        s = e - len(phrase) + (len(phrase) - len(stripped)) if phrase.endswith(stripped) else s
        s = text.find(stripped, s, e + 1) if text.find(stripped, s, e + 1) >= 0 else s
        return clean_span_text(stripped), s, s + len(stripped)

    # -- claims inside one sentence
    def _sentence_claims(self, text: str, sent: Sentence, mentions: list[Mention]) -> list[_Claim]:
        claims: list[_Claim] = []
        for cs, ce in split_clauses(text, sent.start, sent.end):
            clause = text[cs:ce]
            if _is_zh(clause):
                found = self._zh_clause_claims(text, cs, ce)
                hedged = _hedge_kind([v for h, v in self.lex.zh_hedge.items() if h in clause])
                if hedged != HEDGE_AIM:  # '探讨了X对Y的治疗作用' is an aim
                    found += [replace(c, hedged=hedged)
                              for c in self._zh_effect_claims(text, cs, ce, sent.section == "table_row")
                              + self._zh_proportion_claims(text, cs, ce)
                              if not any(f.start < c.end and c.start < f.end for f in found)]
                claims.extend(found)
            else:
                claims.extend(self._en_clause_claims(text, cs, ce))
        if not _is_zh(text[sent.start:sent.end]):
            assoc = self._en_association_claims(text, sent.start, sent.end)
            if assoc:
                # the change inside 'associated with an increased risk of B' belongs to the association
                spans = [region for _, region in assoc]
                claims = [c for c in claims if not any(a <= c.cue.start < b or (c.start < b and a < c.end)
                                                        for a, b in spans)] + [c for c, _ in assoc]
        return claims

    def _en_association_claims(self, text: str, ss: int, se: int) -> list[tuple[_Claim, tuple[int, int]]]:
        """English association statements (EN_ASSOC_RE, EN_NO_ASSOC_RE): 'A was associated with an increased
        risk of B' (increase), 'A were at lower risk of B' (decrease), 'A was not associated with B' and 'no
        association between A and B' (no_change). Read over the whole sentence because A and B may hold commas.

        Args:
            text: the document text.
            ss: sentence start.
            se: sentence end.

        Returns:
            The claims (subject = A, outcome = B without its comparative), each with the span it covers.
        """
        out: list[tuple[_Claim, tuple[int, int]]] = []
        sentence = text[ss:se]
        if _hedge_kind([v for h, v in self.lex.en_hedge.items() if re.search(rf"\b{re.escape(h)}\b", sentence, re.I)]):
            return out  # 'the aim is to test whether A is associated with B', 'A may be linked to B'
        for m in EN_NO_ASSOC_RE.finditer(text, ss, se):
            rest = text[m.end():se]
            am = re.match(r"(?P<a>.+?)\s*,?\s+and\s+(?:the\s+)?(?P<b>.+)", rest)
            if am is None:
                continue
            a_s, a_e = _trim(text, m.end() + am.start("a"), m.end() + am.end("a"))
            om = EN_ASSOC_OUTCOME_RE.match(text, m.end() + am.start("b"), se)
            a_text = clean_span_text(text[a_s:a_e])
            if om is None or len(a_text.split()) > MAX_EN_AGENT_WORDS or _en_outcome_fragment(om.group("o")):
                continue
            cue = Cue(m.start(), m.end(), m.group(0).strip(), "no_change")
            out.append((_Claim(cue, "no_change", om.start("o"), om.end("o"), (a_text, a_s, a_e), carries=False,
                               association=True),
                        (m.start(), om.end("o"))))
        for m in EN_ASSOC_RE.finditer(text, ss, se):
            if any(a <= m.start() < b for _, (a, b) in out):
                continue
            om = EN_ASSOC_OUTCOME_RE.match(text, m.end(), se)
            if om is None:
                continue
            o_s, o_e = om.start("o"), om.end("o")
            direction = None
            cm = self.lex.en_dir_re.match(text, o_s) if self.lex.en_dir_re is not None else None
            if cm is not None and self.lex.en_dir.get(cm.group(0).lower()) in ("increase", "decrease"):
                direction = self.lex.en_dir[cm.group(0).lower()]
                o_s = o_s + len(cm.group(0)) + len(text[o_s + len(cm.group(0)):o_e]) - len(
                    text[o_s + len(cm.group(0)):o_e].lstrip())
            adverbs = (m.group("adv") or "").lower().split()
            direction = direction or next((EN_ASSOC_ADVERBS[a] for a in adverbs if a in EN_ASSOC_ADVERBS), None)
            left = max(ss, *(i + 1 for i in (text.rfind(";", ss, m.start()),)))
            if EN_ASSOC_NEGATION_RE.search(text, left, m.start("rel") if m.group("rel") else m.end()):
                direction = "no_change"
            if direction is None or o_e - o_s < 3 or _en_outcome_fragment(text[o_s:o_e]):
                continue
            aux = re.search(r"(?:\s+(?:was|were|is|are|be|been|being|has|have|had|could|may|might|would|will|not))*\s*$",
                            text[left:m.start()])
            agent = en_agent(text, left, left + aux.start())
            either = EN_PAIRED_COORD_RE.search(text, left, left + aux.start())
            if agent is None and either is not None:
                # 'neither A nor B was associated with C': the coordination is the exposure (up to the exposure limit)
                phrase = clean_span_text(text[either.end():left + aux.start()])
                if 0 < len(phrase.split()) <= MAX_EN_EXPOSURE_WORDS and not EN_FINITE_RE.search(phrase):
                    agent = (phrase, either.end(), either.end() + len(phrase))
            if agent is not None:
                agent = (re.sub(r"^(?:neither|either|both)\s+", "", agent[0], flags=re.I), agent[1], agent[2])
            cue = Cue(m.start(), m.end(), m.group(0).strip(), direction)
            out.append((_Claim(cue, direction, o_s, o_e, agent, carries=False, association=True), (m.start(), o_e)))
        return out

    def _zh_cues(self, text: str, cs: int, ce: int) -> list[Cue]:
        if self.lex.zh_dir_re is None:
            return []
        depth = _paren_depth_map(text, cs, ce)
        cues = []
        for m in self.lex.zh_dir_re.finditer(text, cs, ce):
            if depth[m.start() - cs] > 0:
                continue
            if any(x.start <= m.start() and m.end() <= x.end and x.end - x.start > m.end() - m.start()
                   for x in _near(getattr(self, "_mentions", []), m.start(), m.end())):
                continue  # '功能性电刺激疗法', '免疫抑制剂': a cue inside a treatment's name
            w = re.sub(r"\s", "", m.group(0))
            cues.append(Cue(m.start(), m.end(), w, self.lex.zh_dir[w], w in self.lex.zh_verb_only))
        cues.extend(self._zh_comparatives(text, cs, ce, depth, cues))
        cues.sort(key=lambda c: c.start)
        # 'SFRP5抑制BMP9诱导的成骨分化': a cue + 的 after a verb cue modifies the object, it is no claim
        return [c for k, c in enumerate(cues)
                if not (k > 0 and text.startswith("的", c.end) and text[cues[k - 1].end:c.start].strip()
                        and all(ch not in CLAUSE_PUNCT for ch in text[cues[k - 1].end:c.start]))]

    def _zh_clause_claims(self, text: str, cs: int, ce: int) -> list[_Claim]:
        cues = self._zh_cues(text, cs, ce)
        lex = self.lex
        hedged = _hedge_kind([v for h, v in lex.zh_hedge.items() if h in text[cs:ce]])
        if not cues:
            return [c for c in self._zh_event_claims(text, cs, ce, [], hedged) if c.hedged != HEDGE_AIM]
        claims: list[_Claim] = []
        prev_end = cs
        for k, cue in enumerate(cues):
            nxt = cues[k + 1].start if k + 1 < len(cues) else ce
            after_s = cue.end
            while after_s < nxt and (text[after_s] in ZH_VERB_PARTICLES or text[after_s].isspace()):
                after_s += 1
            after = text[after_s:nxt]
            # 'SCI大鼠雌激素受体的下调与…有关': a cue after 的 is a nominalised change of the NP before it
            nominal = text[cue.start - 1:cue.start] == "的" and cue.start - 1 > cs
            comparative = (cue.text.endswith("于") or cue.text in ZH_COMPARATIVE_CUES or cue.text[:1] in "较比"
                           or nominal)
            direction = cue.direction
            negated = self._zh_negated(text, cs, cue.start)
            if negated:
                direction = "no_change"
            if after.startswith(ZH_NOMINAL_HEADS) and not negated:
                continue  # '免疫抑制作用', '促进剂': the cue modifies a noun, it states no change
            # 'IGF-I 下降明显': a degree adverb after the cue closes the predicate; there is no object
            after_core = _strip_prefixes(re.sub(r"\s", "", after), self.lex.zh_modifiers + ("了",))
            if after_core in self.lex.zh_modifiers or not after_core.strip("。.，,；;"):
                after = ""
            verb_mode = (not comparative and direction != "no_change" or negated) and after.strip() and \
                after.strip()[0] not in ZH_NOT_NP_START + "、，,；;。^[" and not re.match(r"\s*[\d（(]", after) \
                and not ZH_NOT_NP_START_RE.match(after) \
                and not after.lstrip().startswith(ZH_NORMAL_LEVEL)
            if verb_mode and k + 1 < len(cues) and self._governed_by_next(text, after_s, cues[k + 1]):
                # '出现骨量减少', '抑制MLR的能力得到了提高': the later predicate cue governs the NP
                continue
            if cue.direction == "no_change" and not negated:
                verb_mode = False
            if verb_mode:
                e = nxt
                for stop in ZH_OBJECT_STOPS:
                    j = text.find(stop, after_s, e)
                    if 0 <= j and j > after_s:
                        e = j
                s, e = _trim(text, after_s, e)
                while s < e and text.startswith(ZH_PRONOUNS, s):  # '促进其成脂分化' -> 成脂分化
                    s += next(len(p) for p in ZH_PRONOUNS if text.startswith(p, s))
                if e - s < MIN_OUTCOME_CHARS:
                    continue
                # inhibiting an increase is a decrease: '抑制了 X 的上调'
                inner = [c for c in cues[k + 1:] if c.start < ce and text[c.start - 1:c.start] == "的"]
                del inner
                subj = self._clause_subject(text, cs, cue.start, to_cue=True) if cue.start > cs else None
                for os_, oe in self._split_coord(text, s, e):
                    claims.append(_Claim(cue, direction, os_, oe, subj, hedged))
                prev_end = nxt
            else:
                if cue.verb_only and not negated and not nominal:
                    continue
                s = prev_end
                e = cue.start - 1 if nominal else cue.start
                s, e = self._np_before(text, s, e)
                # '未见明显的细胞增殖和腱分化增加': a negation opening the subject NP negates its predicate
                lead = re.sub(r"\s", "", text[s:e])
                neg = next((n for n in self.lex.zh_neg if len(n) >= 2 and lead.startswith(n)), None)
                if neg is not None and comparative and not nominal:
                    continue  # '没有经过刺激的细胞成骨低于刺激组': the negation names the untreated arm
                if neg is not None and direction != "no_change":
                    direction = "no_change"
                    while neg and s < e:
                        if not text[s].isspace():
                            neg = neg[1:]
                        s += 1
                    s, e = _trim(text, s, e)
                    s = text.find(text[s:e].lstrip("明显的显著 "), s, e + 1) if text[s:e].strip() else s
                if e - s < MIN_OUTCOME_CHARS:
                    continue
                value = VALUE_RE.match(after)
                for os_, oe in self._split_coord(text, s, e):
                    claims.append(_Claim(cue, direction, os_, oe, None, hedged,
                                         clean_span_text(value.group(1)) if value and value.group(1).strip() else None))
                prev_end = cue.end
        assoc = self._zh_association_claims(text, cs, ce, hedged)
        if assoc:
            # the change inside 'A 与 B减少 有关' belongs to the association: other claims whose cue or
            # outcome falls in '与 … 有关' are fragments of it
            spans = [region for _, region in assoc]
            claims = [c for c in claims if not any(a <= c.cue.start < b or (c.start < b and a < c.end)
                                                    for a, b in spans)] + [c for c, _ in assoc]
        claims.extend(self._zh_event_claims(text, cs, ce, claims, hedged))
        return [c for c in claims if c.hedged != HEDGE_AIM]

    def _zh_effect_claims(self, text: str, cs: int, ce: int, table_row: bool) -> list[_Claim]:
        """Effects stated as a noun: 'X对Y具有治疗作用' (Y improves), 'X对Y有抑制作用' (Y decreases),
        'X发挥明显的软骨保护作用' (the protection is the outcome), and in a review table's title cell
        'X治疗Y' (Y improves) (学术论文题名 'X对Y的治疗作用', 'X治疗Y').

        Args:
            text: the document text.
            cs: clause start.
            ce: clause end.
            table_row: the clause is a cell of a review table row, where cited titles are listed.

        Returns:
            Claims whose subject is X.
        """
        out: list[_Claim] = []
        for m in ZH_EFFECT_RE.finditer(text, cs, ce):
            kind = m.group("kind")
            if m.group("y") is None and (kind not in ZH_EFFECT_ALONE or not m.group("verb")):
                continue  # '免疫抑制作用' alone names a property, not a change
            if m.group("y") is not None:
                o_s, o_e = _trim(text, m.start("y"), _strip_suffixes(text, m.start("y"), m.end("y"), self.lex.zh_modifiers))
                if text.startswith("在", o_s):
                    o_s += 1  # '对在海绵体神经损伤…': the place preposition is not part of the outcome
            else:
                o_s, o_e = _trim(text, m.start("eff"), m.end("eff"))
            modal = self._clause_subject(text, cs, m.start())  # 'X通过…发挥保护作用': X before the modal
            a_s, a_e = (modal[1], modal[2]) if modal is not None and modal[1] >= cs else self._np_before(text, cs, m.start())
            subject = _strip_prefixes(clean_span_text(text[a_s:a_e]), ("及其", "其"))
            subject = re.sub(r"(?:及其|可以|能够|可|能)$", "", subject)
            subject = subject.split("作为")[0]  # 'AA作为还原性维生素对…': the role phrase is not the agent
            if len(subject) < 2 or o_e - o_s < 2:
                continue
            a_s = text.find(subject, a_s, a_e + 1) if text.find(subject, a_s, a_e + 1) >= 0 else a_s
            direction = ZH_EFFECT_KINDS[kind]
            out.append(_Claim(Cue(m.start("eff"), m.end("eff"), kind, direction), direction, o_s, o_e,
                              (subject, a_s, a_s + len(subject))))
        if table_row and not out:
            m = ZH_TITLE_TREATS_RE.search(text, cs, ce)
            if m is not None and any(h in m.group("x") for h in self.lex.int_heads):
                en = re.search(r"\s[A-Z][a-z]{2,}", m.group("y"))  # the English title that follows
                o_s, o_e = _trim(text, m.start("y"), m.start("y") + en.start() if en else m.end("y"))
                x_s, x_e = _trim(text, m.start("x"), m.end("x"))
                out.append(_Claim(Cue(m.start("v"), m.end("v"), "治疗", "improve"), "improve", o_s, o_e,
                                  (clean_span_text(text[x_s:x_e]), x_s, x_e)))
        return out

    def _zh_proportion_claims(self, text: str, cs: int, ce: int) -> list[_Claim]:
        """A measured share after a treatment: 'GFP阳性细胞的比例为 98%' — the cells or events counted are
        the outcome, present (increase), with the percentage as the value.

        Args:
            text: the document text.
            cs: clause start.
            ce: clause end.

        Returns:
            Claims without a subject (the study's treatment applies).
        """
        out: list[_Claim] = []
        for m in ZH_PROPORTION_RE.finditer(text, cs, ce):
            s, e = self._np_before(text, cs, m.start("share"))
            e = _strip_suffixes(text, s, e, ("的",))
            if e - s < 2:
                continue
            out.append(_Claim(Cue(m.start("share"), m.end("share"), clean_span_text(m.group("share")), "increase"),
                              "increase", s, e, None, None, clean_span_text(m.group("v"))))
        return out

    def _zh_association_claims(self, text: str, cs: int, ce: int,
                               hedged: str | None) -> list[tuple[_Claim, tuple[int, int]]]:
        """Association statements: 'A 与 B减少有关' (A is the exposure, B the outcome, its cue the
        direction) and the negated 'A 与 B 没有显著的关系' (no_change). An association without a change
        cue in B and without negation states no direction and gives no claim.

        Args:
            text: the document text.
            cs: clause start.
            ce: clause end.
            hedged: the clause's hedge kind.

        Returns:
            The association claims of the clause (subject = A), each with the span '与 … 有关' it covers.
        """
        out: list[tuple[_Claim, tuple[int, int]]] = []
        for m in ZH_ASSOCIATION_RE.finditer(text, cs, ce):
            a_s, a_e = self._np_before(text, cs, m.start())
            if a_e - a_s < 2:
                continue
            window = re.sub(r"\s", "", text[cs:a_s])[-ZH_NEGATION_WINDOW:]
            negated = any(n in window for n in self.lex.zh_neg if len(n) >= 2) or any(
                n in re.sub(r"\s", "", m.group("rel")) for n in self.lex.zh_neg)
            b_s, b_e = _trim(text, m.start("b"), m.end("b"))
            cue = None
            if self.lex.zh_dir_re is not None:
                cue = next((c for c in self.lex.zh_dir_re.finditer(text, b_s, b_e)
                            if not text[c.end():b_e].strip()), None)
            if cue is not None:
                o_s, o_e = _trim(text, b_s, _strip_suffixes(text, b_s, cue.start(), self.lex.zh_modifiers))
                direction = "no_change" if negated else self.lex.zh_dir[re.sub(r"\s", "", cue.group(0))]
                c = Cue(cue.start(), cue.end(), re.sub(r"\s", "", cue.group(0)), direction)
            elif negated:
                o_s, o_e = b_s, b_e
                c = Cue(m.start("rel"), m.end("rel"), re.sub(r"\s", "", m.group("rel")), "no_change")
                direction = "no_change"
            else:
                continue
            if o_e - o_s < 2:
                continue
            subject = (clean_span_text(text[a_s:a_e]), a_s, a_e)
            out.append((_Claim(c, direction, o_s, o_e, subject, hedged, carries=False), (m.start(), m.end())))
        return out

    def _zh_event_claims(self, text: str, cs: int, ce: int, found: list[_Claim],
                         hedged: str | None) -> list[_Claim]:
        """Verbs that are their own outcome ('BMSCs 能够向损伤部位归巢', '长期在骨髓腔中定植'): the event
        is the outcome, its subject the treatment; an event inside another claim's object is skipped."""
        if self.lex.zh_events_re is None:
            return []
        depth = _paren_depth_map(text, cs, ce)
        out = []
        for m in self.lex.zh_events_re.finditer(text, cs, ce):
            if depth[m.start() - cs] > 0 or any(c.start <= m.start() < c.end for c in found):
                continue
            word = re.sub(r"\s", "", m.group(0))
            direction = "no_change" if self._zh_negated(text, cs, m.start()) else self.lex.zh_events[word]
            subj = self._clause_subject(text, cs, m.start(), to_cue=True) if m.start() > cs else None
            cue = Cue(m.start(), m.end(), word, direction)
            out.append(_Claim(cue, direction, m.start(), m.end(), subj, hedged))
        return out

    def _zh_comparatives(self, text: str, cs: int, ce: int, depth: list[int], known: list[Cue]) -> list[Cue]:
        """'生长率较对照组低': 较/比 + comparator + a one-character adjective."""
        out = []
        for m in ZH_COMPARATIVE_RE.finditer(text, cs, ce):
            if depth[m.start() - cs] > 0 or any(c.start <= m.end(1) - 1 < c.end for c in known):
                continue
            out.append(Cue(m.start(), m.end(), clean_span_text(m.group(0)), ZH_COMPARATIVE_ADJ[m.group(1)]))
        return out

    def _governed_by_next(self, text: str, obj_start: int, nxt: Cue) -> bool:
        """Whether the object of a verb cue runs straight into a predicate cue (only adverbs between)."""
        if nxt.verb_only:
            return False
        between = text[obj_start:nxt.start].rstrip()
        changed = True
        while changed:
            changed = False
            for mod in self.lex.zh_modifiers:
                if between.endswith(mod) and len(between) > len(mod):
                    between = between[: -len(mod)].rstrip()
                    changed = True
        after = re.sub(r"\s", "", text[nxt.end:nxt.end + 6]).lstrip(ZH_VERB_PARTICLES)
        return bool(between) and (not after or after[0] in CLAUSE_PUNCT + "、的[^")

    def _zh_negated(self, text: str, cs: int, pos: int) -> bool:
        window = re.sub(r"\s", "", text[cs:pos])[-ZH_NEGATION_WINDOW:]
        if window.endswith(ZH_PSEUDO_NEGATIONS):
            return False  # '不但恢复而且…': 不但/不仅 add, they do not negate
        for mod in self.lex.zh_modifiers:
            if window.endswith(mod):
                window = window[: -len(mod)]
        window = re.sub(r"(?:明显|显著|有所|得到|发生)$", "", window)
        return any(window.endswith(n) for n in self.lex.zh_neg)

    def _np_before(self, text: str, s: int, e: int) -> tuple[int, int]:
        """The noun phrase ending at a predicate cue: strip adverbs at the end, report verbs and
        connectors at the front, keep at most MAX_OUTCOME_CHARS."""
        s, e = _trim(text, s, e)
        e = _strip_suffixes(text, s, e, self.lex.zh_modifiers)
        # '骨密度有明显增加', '骨量有增加': the existential 有 before a change belongs to the predicate
        e2 = _strip_suffixes(text, s, e, ZH_EXISTENTIAL)
        if e2 < e and e2 - s >= 2:
            e = _strip_suffixes(text, s, e2, self.lex.zh_modifiers)
        phrase = text[s:e]
        # the last report verb / boundary word of two or more characters starts the NP
        best = s
        for w in self.lex.zh_boundary:
            if len(w) < 2 or w in ZH_COORD:  # coordinators join outcomes; _split_coord splits them
                continue
            j = phrase.rfind(w)
            if j >= 0 and s + j + len(w) > best and s + j + len(w) < e:
                best = s + j + len(w)
        s = best
        # leading connectors, pronouns, single-character boundary words
        while True:
            t = text[s:e].lstrip()
            s = e - len(t)
            hit = next((w for w in (*self.lex.breaks, *self.lex.continuation, *ZH_PRONOUNS, *self.lex.zh_boundary,
                                    *self.lex.zh_modifiers) if t.startswith(w) and len(t) > len(w)), None)
            if hit is None:
                break
            s += len(hit)
        # '通过移植 MSCs 可以使小鼠的骨量恢复': the NP of a causative starts after 使/使得/令
        for m in ZH_CAUSATIVE_RE.finditer(text, s, e):
            if len(text[m.end():e].strip()) >= 2:
                s = m.end()
        # '移植干细胞后大鼠骨密度': a temporal clause ending in 后 precedes the NP
        for m in ZH_AFTER_RE.finditer(text, s, e):
            if len(text[m.end():e].strip()) >= 2:
                s = m.end()
        # '…OVX 大鼠（即造模后 12 周）骨密度': the NP starts after a closing parenthesis
        j = max(text.rfind(c, s, e) for c in CLOSE_PARENS)
        if j >= 0 and len(text[j + 1:e].strip()) >= 2 and not text[j + 1:e].lstrip().startswith(ZH_COORD):
            s = j + 1
        if e - s > MAX_OUTCOME_CHARS:
            s = e - MAX_OUTCOME_CHARS
            while s < e and not (HAN.match(text[s]) or text[s].isspace() or (text[s].isalnum() and not text[s - 1].isalnum())):
                s += 1
        s, e = _strip_groups(text, s, e)
        return _trim(text, s, e)

    def _split_coord(self, text: str, s: int, e: int) -> list[tuple[int, int]]:
        """Split 'A、B和C' into A, B, C (outside parentheses); citation markers are dropped."""
        m = CITE_RE.search(text, s, e)
        if m is not None:
            e = m.start()
        depth = _paren_depth_map(text, s, e)
        parts, cur = [], s
        i = s
        while i < e:
            hit = None
            if depth[i - s] == 0:
                hit = next((c for c in ZH_COORD if text.startswith(c, i)), None)
            if hit is not None and i > cur:
                parts.append((cur, i))
                cur = i + len(hit)
                i = cur
                continue
            i += 1
        parts.append((cur, e))
        # 'A及B的C' (腰椎及股骨的骨密度) coordinates modifiers, not outcomes: keep it whole
        if len(parts) > 1 and "的" in text[parts[-1][0]:parts[-1][1]] and all(
                len(clean_span_text(text[a:b])) <= 4 and "的" not in text[a:b] for a, b in parts[:-1]):
            parts = [(s, e)]
        out = []
        for a, b in parts:
            a, b = _trim(text, a, b)
            b = _strip_suffixes(text, a, b, ZH_MEASURE_SUFFIXES + ZH_SITUATION_SUFFIXES)
            if b - a >= MIN_OUTCOME_CHARS and clean_span_text(text[a:b]) not in ("", "的"):
                out.append((a, b))
        return out

    def _en_arm_value_claims(self, text: str, sent: Sentence) -> list[_Claim]:
        """A significant result stated as two arm values with no cue word: 'The mean intubation time was 209 s
        in group I and 224 s in group II (p < 0.05)' -> group I decreases it. The arm that is not a comparison
        arm (control, placebo, sham …) is the treatment; its value against the other gives the direction.

        Args:
            text: the document text.
            sent: an English sentence of the paper's own results.

        Returns:
            One claim whose subject is the treated arm (its cue sits right after the arm), or none.
        """
        stext = text[sent.start:sent.end]
        pvals = [(op, float(v)) for op, v in P_VALUE_RE.findall(stext)]
        if not any(v <= ALPHA if op in ("<", "≤", "&lt;") else v < ALPHA for op, v in pvals if op not in (">", "≥", "&gt;")):
            return []
        subj = EN_VALUE_SUBJECT_RE.match(stext)
        arms = list(EN_ARM_VALUE_RE.finditer(stext))
        if subj is None or len(arms) != 2 or float(arms[0].group("v")) == float(arms[1].group("v")):
            return []
        comparators = {c.lower() for c in self.lex.comparator}
        plain = [any(c in a.group("arm").lower() for c in comparators if len(c) >= 4) for a in arms]
        k = 1 if plain[0] and not plain[1] else 0
        treated, other = arms[k], arms[1 - k]
        direction = "increase" if float(treated.group("v")) > float(other.group("v")) else "decrease"
        o_s, o_e = sent.start + subj.start("o"), sent.start + subj.end("o")
        pos = sent.start + treated.end("arm")
        words = clean_span_text(text[o_s:o_e])
        if _en_clause_fragment(words.lower()) or _en_outcome_fragment(words, subject=True):
            return []
        arm = (clean_span_text(treated.group("arm")), sent.start + treated.start("arm"), pos)
        return [_Claim(Cue(pos, pos, "value", direction), direction, o_s, o_e, arm)]

    def _en_clause_claims(self, text: str, cs: int, ce: int) -> list[_Claim]:
        lex = self.lex
        if lex.en_dir_re is None:
            return []
        claims = []
        clause = text[cs:ce]
        hedged = _hedge_kind([v for h, v in lex.en_hedge.items() if re.search(rf"\b{re.escape(h)}\b", clause, re.I)])
        for m in lex.en_dir_re.finditer(text, cs, ce):
            if any(c.start <= m.start() < c.end for c in claims):
                continue  # 'DKK1 blocked Wnt3a induced OPG expression': a cue inside an object modifies it
            w = m.group(0).lower()
            direction = lex.en_dir[w]
            likely = EN_LIKELY_RE.match(text, m.end(), ce) if w in EN_DEGREE_COMPARATIVES else None
            if likely is not None:
                # 'were more likely to reach target weight': the chance of the act is the outcome
                negated = any(t.lower() in lex.en_neg for t in re.findall(r"[A-Za-z']+", text[cs:m.start()])[-EN_NEGATION_WINDOW:])
                d = "no_change" if negated or _non_significant(text[cs:ce]) else direction
                # 'likely' here measures a chance, it hedges nothing: only the clause's other hedge words count
                rest = clause[:m.start() - cs] + clause[likely.end() - cs:]
                own_hedge = _hedge_kind([v for h, v in lex.en_hedge.items() if re.search(rf"\b{re.escape(h)}\b", rest, re.I)])
                claims.append(_Claim(Cue(m.start(), likely.end("o"), text[m.start():likely.end("o")], d), d,
                                     likely.start("o"), likely.end("o"), None, own_hedge))
                continue
            if w in EN_DEGREE_COMPARATIVES and EN_DEGREE_VERB_RE.match(text, m.end()):
                continue  # 'HbA1c was more reduced': the verb after more/less is the cue
            if EN_NP_HEAD_CUE_RE.match(text, m.end()) and not w.endswith("ed") and not w.startswith("no "):
                continue  # 'Hip BMD loss was lower': a noun cue before the verb heads the subject, not a claim
            before_tokens = re.findall(r"[A-Za-z']+", text[cs:m.start()])[-EN_NEGATION_WINDOW:]
            if direction != "no_change" and any(t.lower() in lex.en_neg for t in before_tokens) \
                    and not EN_PSEUDO_NEGATION_RE.search(text, cs, m.start()):
                direction = "no_change"
            if _non_significant(text[cs:ce]):
                direction = "no_change"
            prevented = EN_PREVENTING_RE.search(text, cs, m.start()) if w in EN_CHANGE_NOUNS else None
            if prevented is not None and direction in FLIP:
                direction = FLIP[direction]  # 'avoided the decrease in Hb': Hb was kept up
            after = text[m.end():ce]
            am = re.match(r"\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+)?([A-Za-z][\w\-/ ]{1,60}?)(?=\s+(?:in|of|by|after|at|"
                          r"compared|than|versus|vs|from|to|with|when|and then|but|while|whereas|which|who|was|were|occurred|"
                          r"developed|remained)\b|\s*[,;.()\[]|$)", after)
            nm = EN_NOUN_OBJECT_RE.match(after)
            if nm and EN_ARM_WORD_RE.search(nm.group(1)):
                nm = None  # 'lower in the etanercept group': the arm, not the outcome, follows the cue
            clause_initial = not text[cs:m.start()].strip() and not w.endswith("ed")  # 'reduction in X occurred'
            if nm and (w.startswith("no ") or clause_initial or EN_NOUN_CUE_BEFORE_RE.search(text[cs:m.start()])):
                s, e = m.end() + nm.start(1), m.end() + nm.end(1)
                subj = self._clause_subject(text, cs, m.start()) if m.start() > cs else None
                if subj is None and prevented is not None and prevented.start() > cs:
                    subj = en_agent(text, cs, prevented.start())  # 'X avoided the decrease in Y': X
                claims.append(_Claim(Cue(m.start(), m.end(), m.group(0), direction), direction, s, e, subj, hedged))
                continue
            transitive = (w.endswith("ed") and am is not None and not EN_PASSIVE_END_RE.search(text[cs:m.start()])
                          and not re.match(r"(?:\w+ly|by|in|at|after|from|to|with|over|during|and|or|but|whereas|while)\b",
                                           am.group(1), re.I)
                          and m.start() > cs and not re.search(r"[-–]\s*$", text[cs:m.start()]))
            # 'Group P2 showed a lower incidence of X': an attributive comparative governs the NP after it
            if w in EN_COMPARATIVES and lex.en_dir_re.match(text, m.end() + len(after) - len(after.lstrip())) and \
                    lex.en_dir.get(lex.en_dir_re.match(text, m.end() + len(after) - len(after.lstrip())).group(0).lower()) in (
                        "increase", "decrease"):
                continue  # 'a greater increase in HDL': the noun cue after the comparative states the change
            before_cue = " " + text[cs:m.start()]
            attributive = (w in EN_COMPARATIVES and am is not None
                           and (EN_ATTRIBUTIVE_BEFORE_RE.search(text[cs:m.start()]) is not None
                                or (w in EN_QUANTITY_COMPARATIVES and EN_ATTRIBUTIVE_BEFORE_RE.search(before_cue) is not None)))
            # 'MSCs lower the ratio of RANKL to OPG': a comparative form used as a verb takes a determiner object
            attributive = attributive or (w in EN_COMPARATIVES and am is not None and m.start() > cs
                                          and re.match(r"\s+(?:the|their|its)\s", text[m.end():ce]) is not None
                                          and not EN_PASSIVE_END_RE.search(text[cs:m.start()])
                                          and en_agent(text, cs, m.start()) is not None)
            # 'MSCs did not increase serum calcium': a negated base-form verb still governs its object
            negated_verb = (am is not None and w not in EN_COMPARATIVES
                            and re.search(r"\b(?:did|does|do|could|can|may|might|would|will)\s+not\s+$|\bfailed\s+to\s+$",
                                          text[cs:m.start()]) is not None)
            # 'X has been shown to increase Y', 'X can reduce Y': a base form after to/a modal governs its object
            negated_verb = negated_verb or (am is not None and w not in EN_COMPARATIVES and direction != "no_change"
                                            and EN_BASE_VERB_BEFORE_RE.search(text, cs, m.start()) is not None)
            intransitive = (am is not None and not w.endswith("ed") and w not in EN_COMPARATIVES
                            and EN_INTRANSITIVE_AFTER_RE.match(am.group(1)) is not None)
            if ((w.endswith("ed") and not transitive) or (w in EN_COMPARATIVES and not attributive)
                    or (direction == "no_change" and not negated_verb) or not am or intransitive):
                # predicate: 'BMD was significantly increased' -> subject before
                # the subject starts after an earlier claim's cue in the clause ('A increased and B decreased')
                left = max([cs, *(c.cue.end for c in claims if c.cue.end <= m.start())])
                raising = EN_RAISING_RE.search(text, left, m.start())
                # 'Ac levels have been shown to increase in …': the subject ends before the raising frame
                before = text[left:raising.start() if raising is not None else m.start()]
                bm = re.search(r"([A-Za-z](?:[\w\-/ ]|\.(?=[A-Za-z])){1,60}?)\s*(?:\([^()]{0,40}\)\s*)?(?:(?:was|were|is|are|been|had|has|have|showed|remained|"
                               r"significantly|statistically|numerically|markedly|also|not|both|all|more|less|further|\([^()]{0,40}\))\s*)*$", before)
                if not bm:
                    continue
                phrase = bm.group(1)
                words = phrase.split()
                while words and words[0].lower() in lex.en_boundary | lex.en_modifiers | EN_LEADING_JOINERS:
                    words.pop(0)
                # 'Micro-CT showed that BV/TV increased': the subject follows the complementizer
                cut = max((j for j, wd in enumerate(words[:-1]) if wd.lower() in ("that", "which")), default=-1)
                words = words[cut + 1:]
                if not words:
                    continue
                phrase = " ".join(words)
                s = text.rfind(phrase, left, left + len(before))
                if s < 0 or _en_outcome_fragment(phrase, subject=True):
                    continue  # 'Park et al. [10], who reported a similar advantage': no outcome
                # 'BMD was increased by X': the passive agent; 'higher in X-treated rats': the treated modifier
                bym = EN_BY_AGENT_RE.match(text, m.end(), ce)
                treated = EN_TREATED_RE.search(text, m.end(), ce)
                agent = None
                if bym and not _en_outcome_fragment(bym.group(1)):
                    agent = (clean_span_text(bym.group(1)), bym.start(1), bym.end(1))
                elif treated and treated.group(1).lower() not in EN_GENERIC_TREATED:
                    agent = (treated.group(1), treated.start(1), treated.end(1))
                elif (tw := EN_TREATED_WITH_RE.search(text, m.end(), ce)) is not None:
                    agent = (clean_span_text(tw.group("x")), tw.start("x"), tw.end("x"))
                claims.append(_Claim(Cue(m.start(), m.end(), m.group(0), direction), direction, s, s + len(phrase),
                                     agent, hedged))
            else:
                s = m.end() + am.start(1)
                e = m.end() + am.end(1)
                of_tail = EN_OF_TAIL_RE.match(text, e, ce) if am.group(1).split()[-1].lower() in EN_OF_HEADS else None
                if of_tail:
                    e = of_tail.end()
                # 'promoted bone formation and attenuated bone loss': the object ends before a coordinated verb cue
                nxt = next((c for c in lex.en_dir_re.finditer(text, s, e)
                            if EN_VERB_COORD_RE.search(text, s, c.start())), None)
                if nxt is not None:
                    e = EN_VERB_COORD_RE.search(text, s, nxt.start()).start()
                # a verb coordinated with an earlier one shares its subject (the clause's last subject)
                subj = None if EN_VERB_COORD_RE.search(text, cs, m.start()) and claims else (
                    en_agent(text, cs, m.start()) if m.start() > cs else None)
                frame = EN_HAVE_FRAME_RE.search(text[cs:m.start()]) if attributive and subj is None else None
                if frame is not None and frame.start() > 0 and not (EN_VERB_COORD_RE.search(text, cs, m.start()) and claims):
                    subj = en_agent(text, cs, cs + frame.start())  # 'X users had a higher risk of Y': X users
                # 'the expression of OPN induced by BMP9': a reduced relative participle closes the object
                pm = re.search(r"\s+\w+ed$", text[s:e])
                if pm is not None and pm.start() > 0 and re.match(r"\s+by\b", text[e:ce]):
                    e = s + pm.start()
                cm = lex.en_dir_re.match(text, s)
                if _en_outcome_fragment(text[s:e]) or (cm is not None and cm.group(0).lower() in EN_CHANGE_NOUNS
                                                       and EN_PREVENTING_RE.search(text, cs, m.end() + 1)):
                    continue  # 'attenuated the decline in X': the noun cue's own claim (flipped) states it
                for os_, oe in _en_split_objects(text, s, e):
                    claims.append(_Claim(Cue(m.start(), m.end(), m.group(0), direction), direction, os_, oe, subj, hedged))
        return [c for c in claims if c.hedged != HEDGE_AIM]

    # -- building one tuple
    @staticmethod
    def _blocked(text: str, sent: Sentence, claim: _Claim, interv: tuple[str, int, int]) -> bool:
        """Whether the claim's clause (or the one before it) opens on a blocking experiment
        (ZH_BLOCKING_FRAME_RE) that neither names nor directly follows ``interv`` ('用抗体阻断剂抑制X后' keeps the antibody).

        Args:
            text: the document text.
            sent: the claim's sentence.
            claim: the claim.
            interv: (text, start, end) of the chosen intervention.

        Returns:
            True when the change belongs to a blocker other than ``interv``.
        """
        # clause cuts at full-width commas and semicolons only: ASCII commas list genes ('p-Akt,p-GSK-3β')
        cuts = [m.end() for m in re.finditer(r"[，；;]", text[sent.start:claim.cue.start])]
        lo = sent.start + (cuts[-2] if len(cuts) >= 2 else 0)
        for m in ZH_BLOCKING_FRAME_RE.finditer(text, lo, claim.cue.start):
            if not (interv[1] >= 0 and interv[1] < m.end() and interv[2] >= m.start() - 1):
                return True
        return False

    def _outcome_like(self, text: str, s: int, e: int, interv: tuple[str, int, int], int_m: Mention | None,
                      mentions: list[Mention]) -> bool:
        """Whether [s, e) can be an outcome of ``interv`` (QA2 T1, T2): it is not an arm name, not clause
        debris ('…的同时也', '…作为一种有效'), does not end on the treatment itself ('模型中移植ADSCs'), and a
        span restating the treatment also holds another outcome-type mention or a measure/process noun.
        Unknown noun phrases pass (review outcomes are often terms no rule knows); one bare English word
        must be a measure or an abbreviation.

        Args:
            text: the document text.
            s, e: the outcome span.
            interv: (text, start, end) of the chosen intervention.
            int_m: the intervention's mention, if any.
            mentions: the document's mentions, sorted by start.

        Returns:
            False for spans that name no outcome.
        """
        phrase = clean_span_text(text[s:e])
        if _is_zh(phrase):
            core = re.sub(r"\s", "", phrase)
            if core in ZH_GENERIC_OUTCOMES or ZH_BARE_MEASURE_RE.match(core) or ZH_ARM_OUTCOME_RE.search(core) or ZH_OUTCOME_BAD_TAIL_RE.search(core) or ZH_OUTCOME_BAD_HEAD_RE.match(core):
                return False
        elif EN_ARM_OUTCOME_RE.match(phrase) or phrase.lower().split(" ", 1)[0] in EN_SET_QUANTIFIERS or (
                phrase.lower() in EN_BARE_QUANTITIES):
            return False  # an arm, a set, or a quantity of nothing ('number', 'levels')
        agent = re.sub(r"\s", "", interv[0]).lower()
        if re.sub(r"[\s的]", "", phrase).lower() == re.sub(r"的", "", agent):
            return False  # 'Tenascin-C的表达' as the outcome of 'Tenascin-C表达': the treatment restated
        if len(agent) >= 2 and re.sub(r"\s", "", phrase).lower().endswith(agent) and len(phrase) > len(interv[0]):
            return False  # the span runs up to the treatment: a clause, not its outcome
        if not mentions:
            return True  # table rows and tests without mentions: the cue grammar alone decides
        own = (int_m.concept_id, (int_m.start, int_m.end)) if int_m is not None else (None, None)
        treatment_only = False
        for m in _near(mentions, s, e):
            if not (m.start < e and m.end > s) or m.label == "SPECIES":
                continue
            if (own[0] is not None and m.concept_id == own[0]) or (m.start, m.end) == own[1] or (
                    interv[1] <= m.start and m.end <= interv[2]):
                treatment_only = True  # the treatment restated: only another term or a measure makes it an outcome
            elif m.label in OUTCOME_LABELS:
                return True
        low = phrase.lower()
        words = low.split()
        measured = any(h in low for h in MEASURE_HEADS + PROCESS_HEADS)
        if treatment_only:
            return measured
        if _is_zh(phrase) or len(words) >= 2:
            return True  # an unknown noun phrase the clause grammar delimited ('骨内压力', 'physical status')
        # one bare English word must be a measure or an abbreviation ('occurrence', 'education' are not)
        return measured or bool(ABBREVIATION_RE.search(phrase))

    def _tuple(self, tid: int, doc: Document, sent: Sentence, st: _StudyState, claim: _Claim,
               interv: tuple[str, int, int], mentions: list[Mention], text: str) -> StudyTuple | None:
        tail = FIGURE_REF_TAIL_RE.search(text, claim.start, claim.end)
        out_end = tail.start() if tail is not None and tail.start() > claim.start else claim.end
        # '神经传导速度也', '而且神经的连续性': adverbs and connectives at the edges are not the outcome's
        if _is_zh(text[claim.start:out_end]):
            out_end = _strip_suffixes(text, claim.start, out_end, self.lex.zh_modifiers) or out_end
            tail_m = ZH_OUTCOME_STRIP_TAIL_RE.search(text, claim.start, out_end)
            while tail_m and tail_m.start() - claim.start >= 2:  # '退变的作用20' loses '20', then '的作用'
                out_end = _strip_suffixes(text, claim.start, tail_m.start(), self.lex.zh_modifiers) or tail_m.start()
                tail_m = ZH_OUTCOME_STRIP_TAIL_RE.search(text, claim.start, out_end)
            arm = ZH_ARM_COMPARISON_LEAD_RE.match(text[claim.start:out_end])
            if arm and arm.end() <= out_end - claim.start - 2:
                claim = replace(claim, start=claim.start + arm.end())
            lead = ZH_OUTCOME_LEAD_RE.match(text[claim.start:out_end])
            if lead and lead.end() < out_end - claim.start - 1:
                claim = replace(claim, start=claim.start + lead.end())
            treated = (ZH_TREATED_RE.match(text, claim.start, out_end) or ZH_TWO_ARMS_RE.match(text, claim.start, out_end)
                       or ZH_TAKING_RE.match(text, claim.start, out_end))
            if treated and treated.end() < out_end - 1:
                # '经X处理的大鼠血清CTX水平', '接受A或B治疗的患者骨密度': the treated population is the agent's frame
                start = treated.end()
                pop = next((w for w in self._zh_species if text.startswith(w, start) and start + len(w) < out_end - 1), "")
                claim = replace(claim, start=start + len(pop))
        else:
            # 'since changes' cut to 'hanges', 'lactulose/rhamnose' to 'e/rhamnose': spans end on word boundaries
            claim = replace(claim, start=_word_start(text, claim.start))
            out_end = _word_end(text, out_end)
            arm = EN_ARM_TAIL_RE.search(text, claim.start, out_end)
            if arm and arm.start() > claim.start + 2:
                out_end = arm.start()  # 'collagen content in the AA group': the arm is the comparator's frame
            head = EN_PAREN_HEAD_RE.match(text, out_end, sent.end)
            if head is not None and re.search(r"\bof\s+\S+(?:\s+\S+){0,3}$", text[claim.start:out_end]):
                out_end = head.end("w")  # 'number of mature (metaphase II) oocytes': the head noun after the aside
        out_text = clean_span_text(text[claim.start:out_end])
        int_m = _best_mention(mentions, interv[1], interv[2], ("INTERVENTION", "CELL", "DISEASE", "MODEL", "GENE_PROTEIN"))
        if not self._outcome_like(text, claim.start, out_end, interv, int_m, mentions):
            return None
        if int_m is not None and int_m.label == "MODEL" and self._model_animals(text, sent, int_m):
            return None
        if interv[1] >= 0 and INDUCER_AFTER_RE.match(text, interv[2], sent.end):
            return None
        if _control_arm_observation(text, sent, claim.start, self.lex.zh_dir_re):
            return None
        # the outcome's concept is never the intervention's: an outcome span that restates the treatment
        # ('…联合干细胞移植治疗的患者临床评分') is named by its other mention, or by its text (QA D3)
        out_m = _best_mention([m for m in _near(mentions, claim.start, out_end)
                               if int_m is None or m.concept_id is None or m.concept_id != int_m.concept_id],
                              claim.start, out_end, ("OUTCOME", "GENE_PROTEIN", "CELL", "ANATOMY", "OTHER"))
        if out_m is not None and out_m.label == "CELL" and _is_zh(out_text):
            # 'MSCs成骨分化', '间充质干细胞的成骨分化': the head-final process is the outcome, not the cell (QA2 O1)
            out_m = max((m for m in _near(mentions, claim.start, out_end) if m.label == "OUTCOME"
                         and m.start >= out_m.end and m.end <= out_end and m.concept_id), key=lambda m: m.end,
                        default=out_m)
        direction = claim.direction
        cond_m = _best_mention([m for m in _near(mentions, sent.start, sent.end) if m.start >= sent.start], sent.start, sent.end,
                               ("DISEASE",))
        model_m = _best_mention([m for m in _near(mentions, sent.start, sent.end) if m.start >= sent.start], sent.start, sent.end,
                                ("MODEL",))
        stext = text[sent.start:sent.end]
        tm = TIME_RE.search(stext) if _is_zh(stext) else EN_TIME_RE.search(stext)
        timepoint = clean_span_text(tm.group(1)) if tm else st.timepoint
        if tm:
            st.timepoint = timepoint
        comp = self.lex.comparator_re.search(stext) if self.lex.comparator_re else None
        comparator = (self.lex.comparator.get(comp.group(0)) or self.lex.comparator.get(comp.group(0).lower())) \
            if comp else None
        spans = [("outcome", claim.start, out_end), ("direction", claim.cue.start, claim.cue.end)]
        if interv[1] >= 0:
            spans.append(("intervention", interv[1], interv[2]))
        confidence = 0.8 if st.opened else 0.6
        if out_m is not None:
            confidence += 0.1
        return StudyTuple(
            tuple_id=tid, study_id=st.study_id, refs=st.refs, first_author=st.first_author,
            year=st.year, design=st.design, species=st.species,
            condition=(cond_m.preferred_en or cond_m.text) if cond_m else None,
            model=(model_m.preferred_en or model_m.text) if model_m else st.model,
            intervention=(int_m.preferred_en or int_m.preferred_zh) if int_m and int_m.concept_id else interv[0],
            intervention_id=int_m.concept_id if int_m else None,
            intervention_text=interv[0], route=st.route, dose=st.dose, comparator=comparator,
            outcome=(out_m.preferred_en or out_m.preferred_zh) if out_m and out_m.concept_id else out_text,
            outcome_id=out_m.concept_id if out_m else None, outcome_text=out_text,
            direction=direction, value=claim.value, timepoint=timepoint,
            sent_id=sent.sent_id, start=sent.start, end=sent.end,
            evidence=clean_span_text(text[sent.start:sent.end]), source="text",
            confidence=round(min(confidence, 1.0), 2), spans=tuple(spans),
        )

    def _model_animals(self, text: str, sent: Sentence, model: Mention) -> bool:
        """Whether a model mention only names the animals of a sentence with no normal/sham/control arm.

        Args:
            text: The document text.
            sent: The evidence sentence.
            model: The MODEL mention chosen as the intervention.

        Returns:
            True when the mention is followed by a species word ('ACLT小鼠', 'OVX rats') and the sentence
            names no comparator arm, so the model is the population and not the treatment.
        """
        lex = self.lex
        if lex.species_re is None:
            return False
        gap = MODEL_SPECIES_GAP_RE.match(text, model.end, sent.end)
        if lex.species_re.match(text, gap.end()) is None:
            return False
        return lex.comparator_re is None or lex.comparator_re.search(text, sent.start, sent.end) is None

    # -- tables
    def extract_tables(self, doc: Document, citations: tuple[Citation, ...], start_id: int = 0,
                       seen: set | None = None) -> list[StudyTuple]:
        """Tuples from review tables (``source='table'``).

        A row whose cells carry citation markers ('…抑制骨吸收 ^[7]') is read like running text,
        sentence by sentence; a row with a bare reference column ('12') becomes one study whose
        treatment is the cell with an intervention head. Claims already found in the running
        text (same refs, outcome and direction) are not repeated.
        """
        seen = seen if seen is not None else set()
        out: list[StudyTuple] = []
        n_row_sents = 0
        for table in doc.tables:
            found: list[StudyTuple] = []
            for rs, re_ in table.row_spans:
                # one row is one stretch of text (its cells are clauses, not sentences) and one study:
                # a marker closing the row governs the row's earlier sentences (see _cits_ahead)
                row_sents: list[Sentence] = []
                for sent in fallback_sentences(doc.text[rs:re_].replace("\t", " ")):
                    row_sents.append(Sentence(10_000_000 + n_row_sents, rs + sent.start, rs + sent.end, sent.lang,
                                              "table_row", sent.text))
                    n_row_sents += 1
                row_cits = fallback_citations(doc.text, tuple(row_sents))
                if row_cits:
                    found += self.extract(doc, tuple(row_sents), row_cits)
            found += self._table_tuples(doc, table, 0)
            for t in found:
                key = (t.refs, t.outcome_text, t.direction)
                if key in seen:
                    continue
                seen.add(key)
                out.append(replace(t, tuple_id=start_id + len(out), source="table"))
        return out

    def _row_treatment(self, text: str, sent: Sentence) -> tuple[str, int, int] | None:
        """The table cell naming the treatment: the first with an intervention head."""
        pos = sent.start
        for cell in text[sent.start:sent.end].split("\t"):
            if cell.strip() and len(cell) <= MAX_INTERVENTION_CHARS and any(h in cell for h in self.lex.int_heads):
                s, e = _trim(text, pos, pos + len(cell))
                return clean_span_text(text[s:e]), s, e
            pos += len(cell) + 1
        return None

    def _table_tuples(self, doc: Document, table: Table, start_id: int) -> list[StudyTuple]:
        out: list[StudyTuple] = []
        text = doc.text
        for i, row in enumerate(table.rows):
            if i >= len(table.row_spans):
                break
            rs, re_ = table.row_spans[i]
            row_text = text[rs:re_]
            if CITE_RE.search(row_text):
                continue  # read as running text by extract_tables
            refs: tuple[str, ...] = ()
            if True:
                # a bare reference column: '[12]' or '12'
                for cell in row[::-1]:
                    if re.fullmatch(r"\s*\d+(?:\s*[,，\-–]\s*\d+)*\s*", cell):
                        refs = expand_refs(cell)
                        break
            if not refs:
                continue
            sent = Sentence(-1, rs, re_, "zh" if _is_zh(row_text) else "en", "table", row_text)
            st = _StudyState(refs, None, "ref:" + ",".join(refs), True)
            self._describe_study(st, text, sent)
            # the cell naming the treatment: the one with an intervention head
            interv = st.intervention
            if interv is None:
                for cell in row:
                    if any(h in cell for h in self.lex.int_heads) and len(cell) <= MAX_INTERVENTION_CHARS:
                        j = text.find(cell, rs, re_)
                        interv = (clean_span_text(cell), j, j + len(cell))
                        break
            interv = interv or st.exposure
            if interv is None:
                continue
            for claim in self._sentence_claims(text, sent, []):
                t = self._tuple(start_id + len(out), doc, sent, st, claim, claim.subject or interv, [], text)
                if t is not None:
                    out.append(replace(t, source="table"))
        return out


@dataclass
class _Claim:
    cue: Cue
    direction: str
    start: int
    end: int
    subject: tuple[str, int, int] | None
    hedged: str | None = None  # None, HEDGE_UNCERTAIN or HEDGE_AIM
    value: str | None = None
    # whether the subject carries to the next clauses ('外泌体下调 A，增强 B'); an association's exposure
    # ('A 与 B 有关') does not
    carries: bool = True
    # an English association statement ('A was associated with …'): its subject is the exposure, never the arm
    association: bool = False


def _strip_groups(text: str, s: int, e: int) -> tuple[int, int]:
    """Cut group names from an outcome span (ZH_COMPARISON_TAIL_RE, ZH_GROUP_PREFIX_RE), keeping at
    least two characters."""
    m = EN_GROUP_TAIL_RE.search(text, s, e)
    if m is not None and m.start() > s:
        e = m.start()
    m = ZH_COMPARISON_TAIL_RE.search(text, s, e)
    if m is not None and len(text[s:m.start()].strip()) >= 2:
        e = m.start()
    m = ZH_GROUP_PREFIX_RE.match(text, s, e)
    if m is not None and len(text[m.end():e].strip()) >= 2:
        s = m.end()
    return s, e


def _control_arm_observation(text: str, sent: Sentence, pos: int, cue_re: re.Pattern | None) -> bool:
    """Whether the Chinese clause before ``pos`` has a control arm as its subject and names no other arm.

    Args:
        text: The document text.
        sent: The evidence sentence.
        pos: Where the claim's outcome starts.
        cue_re: The Chinese direction cues; a cue before the arm means the sentence contrasts two arms.

    Returns:
        True for '对照组…出现软骨缺损': an observation of the untreated arm, not a treatment effect.
    """
    lead = text[sent.start:pos]
    cut = max(lead.rfind("；"), lead.rfind(";"))
    lead = lead[cut + 1:]
    arm = ZH_CONTROL_SUBJECT_RE.search(lead) if _is_zh(lead) else None
    if arm is None or (cue_re is not None and cue_re.search(lead, 0, arm.start()) is not None):
        return False
    rest = text[pos:sent.end]
    cut = min((i for i in (rest.find("；"), rest.find(";")) if i >= 0), default=len(rest))
    return ZH_OTHER_ARM_RE.search(ZH_CONTROL_SUBJECT_RE.sub("", lead + rest[:cut])) is None


def _first_clause(stext: str) -> str:
    """The sentence text up to its second clause punctuation (a short lead-in plus one clause)."""
    parts = re.split(r"[，,；;：:]", stext, maxsplit=2)
    return "".join(parts[:2])[:30]


def _plausible_citations(citations: tuple[Citation, ...], doc: Document) -> tuple[Citation, ...]:
    """Citations that can be reference markers: no reference number 0, at most MAX_REFS_PER_MARKER
    numbers, and (when the paper has a parsed reference list) numbers that are in it. A range in a
    result ('20 [0–50]') is not a citation."""
    known = {r.ref_num for r in doc.references}
    out = []
    for c in citations:
        if (not c.refs or "0" in c.refs or len(c.refs) > MAX_REFS_PER_MARKER
                or re.search(r"[\[［]\s*0\s*[-–—~～,，]", c.marker or "")):
            continue
        if known and not set(c.refs) & known:
            continue
        out.append(c)
    return tuple(out)


def _hedge_kind(values: list[str]) -> str | None:
    """The strongest hedge among matched hedge cue values (an aim beats uncertainty)."""
    if HEDGE_AIM in values:
        return HEDGE_AIM
    return HEDGE_UNCERTAIN if values else None


def _paragraph_breaks(text: str) -> bool:
    """Whether blank lines in ``text`` mean paragraphs (see MAX_BLANK_LINE_SHARE)."""
    n_lines = text.count("\n")
    return n_lines > 0 and len(PARAGRAPH_RE.findall(text)) / n_lines <= MAX_BLANK_LINE_SHARE


def _strip_suffixes(text: str, s: int, e: int, suffixes: Iterable[str]) -> int:
    """New end of ``text[s:e]`` after removing trailing ``suffixes`` (whitespace inside ignored)."""
    suffixes = sorted(set(suffixes), key=len, reverse=True)
    changed = True
    while changed and e > s:
        changed = False
        while e > s and text[e - 1].isspace():
            e -= 1
        for suf in suffixes:
            i, j = e, len(suf)
            while j > 0 and i > s:
                if text[i - 1].isspace():
                    i -= 1
                elif text[i - 1] == suf[j - 1]:
                    i -= 1
                    j -= 1
                else:
                    break
            if j == 0 and i > s:
                e = i
                changed = True
                break
    return e


def en_agent(text: str, s: int, e: int) -> tuple[str, int, int] | None:
    """The agent noun phrase of an English clause part before its direction verb.

    'Smith et al. [4] showed that MSCs' -> MSCs; 'Lee et al. found that exosome-treated mice had' ->
    exosome; 'a single intravenous dose of BMSCs partly' -> BMSCs; 'who', 'they' -> None.

    Args:
        text: the document text.
        s, e: the span before the verb.

    Returns:
        (phrase, start, end) in document offsets, or None when the span names no agent.
    """
    raising = EN_RAISING_RE.search(text, s, e)
    if raising is not None:
        e = raising.start()  # 'Exercise has been shown to increase …': the agent is the raised subject
    span = text[s:e]
    cut = 0
    for m in EN_COMPLEMENTIZER_RE.finditer(span):
        if EN_REPORT_VERB_RE.search(span, 0, m.start()) or re.search(r"\]\s*$|et al", span[:m.start()]):
            cut = m.end()
    if not cut:
        rm = None
        for rm in EN_REPORT_VERB_RE.finditer(span):
            pass
        if rm is not None:
            cut = rm.end()
    for cm in CITE_RE.finditer(span, cut):
        cut = max(cut, cm.end())  # 'Nakamura [6] MSCs …': nothing before a marker is the agent
    part = span[cut:]
    om = EN_AGENT_OPENERS_RE.match(part)
    if om:
        part, cut = part[om.end():], cut + om.end()
    tm = EN_AGENT_TAIL_RE.search(part)
    if tm:
        part = part[:tm.start()]
    lead = len(part) - len(part.lstrip(" ,"))
    part, cut = part.strip(" ,"), cut + lead
    vm = EN_VEHICLE_RE.match(part)
    treated = EN_TREATED_RE.search(part)
    if treated and treated.group(1).lower() not in EN_GENERIC_TREATED:
        cut, part = cut + treated.start(1), treated.group(1)
    elif vm and vm.end() < len(part):
        cut, part = cut + vm.end(), part[vm.end():]
    words = part.split()
    # a parenthetical aside does not lengthen the NP; a relative clause inside it ('a spouse who suffered from
    # an illness', 'people who had lost a parent') is part of the exposure and may hold its own finite verb
    head = EN_INNER_RELATIVE_RE.split(part, maxsplit=1)[0]
    limit = MAX_EN_EXPOSURE_WORDS if head != part else MAX_EN_AGENT_WORDS
    if (not words or len(re.sub(r"\s*\([^()]*\)", "", part).split()) > limit or EN_RELATIVE_START_RE.match(part)
            or words[-1].lower() in EN_NP_BAD_END or words[0].lower() in EN_NP_BAD_START or EN_FINITE_RE.search(head)
            or all(w.lower() in EN_PRONOUNS for w in words) or EN_REPORT_VERB_RE.search(part)
            or re.search(r"et al|\b(?:is|are|was|were)\b", head) or not re.search(r"[A-Za-z]{2}", part)):
        return None
    start = s + cut
    return clean_span_text(part), start, start + len(part)


def _en_outcome_fragment(phrase: str, subject: bool = False) -> bool:
    """Whether an English outcome span is a fragment, not a noun phrase: a relative-clause opener
    ('who reported a'), a reporting verb ('Park et al. reported'), a pronoun alone ('it'), a span that
    starts or ends on a function word ('has a setting', 'events experienced as') or holds a finite verb.

    Args:
        phrase: the candidate outcome text.
        subject: the span is a predicate's subject, which may open on a fronted phrase
            ('From baseline to week 24 insulin dose decreased'), so its first word is not checked.

    Returns:
        True when the span is not a noun phrase.
    """
    words = phrase.split()
    return (not words or EN_RELATIVE_START_RE.match(phrase) is not None or words[-1].lower() in EN_NP_BAD_END
            or (not subject and words[0].lower() in EN_NP_BAD_START) or EN_FINITE_RE.search(phrase) is not None
            # a lone participle or multiplier ('obtained', 'threefold') is a predicate part, not a quantity
            or (len(words) == 1 and re.fullmatch(r"[a-z]+ed|\w+fold", words[0]) is not None)
            or EN_REPORT_VERB_RE.search(phrase) is not None or all(w.lower() in EN_PRONOUNS for w in words) or "et al" in phrase)


def _en_clause_fragment(phrase: str) -> bool:
    """Whether an English outcome is a piece of the clause around the claim rather than a measured
    quantity: one comparative, participle or function word ('greater', 'indicating', 'and'), a
    conditional or result clause ('if levels', 'suggesting …'), or a short time phrase ('after training').

    Args:
        phrase: the outcome text, lower-cased.

    Returns:
        True when the phrase names no outcome.
    """
    words = phrase.split()
    if not words:
        return True
    if len(words) == 1 and (words[0] in EN_COMPARATIVES or words[0].endswith("ing") or words[0] in EN_NP_BAD_END):
        return True
    return words[0] in EN_CLAUSE_OPENERS or (words[0] in EN_TIME_PREPOSITIONS and len(words) <= MAX_TIME_PHRASE_WORDS)


def _word_start(text: str, i: int) -> int:
    """``i`` moved back to the start of the Latin word it cuts ('c|hanges' -> '|changes')."""
    while 0 < i < len(text) and text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii() and text[i].isalnum():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    """``i`` moved on to the end of the Latin word it cuts ('lev|el' -> 'level|')."""
    while 0 < i < len(text) and text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii() and text[i].isalnum():
        i += 1
    return i


def _clean_agent(cand: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
    """Strip the particle, conjunction and modal edges a cut leaves on a Chinese agent ('的 MSCs' -> 'MSCs',
    '因为急性SCI制动后不久就' -> '急性SCI制动后不久', 'X的发生原因应该' -> 'X的发生原因').

    Args:
        cand: (text, start, end) of an intervention candidate, or None.

    Returns:
        The candidate with its edges stripped (offsets moved with them), or None.
    """
    if cand is None:
        return None
    phrase, s, e = cand
    lead = ZH_AGENT_LEAD_RE.match(phrase)
    trail = ZH_AGENT_TRAIL_RE.search(phrase)
    a = lead.end() if lead else 0
    b = trail.start() if trail and trail.start() > a else len(phrase)
    if (a, b) == (0, len(phrase)) or b - a < 2:
        return cand
    return phrase[a:b], (s + a if s >= 0 else s), (s + b if s >= 0 else e)


def _en_split_objects(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split a coordinated English object ('MMP13 and ADAMTS5', 'pain, stiffness and function') into its
    noun phrases when every part is short (MAX_EN_COORD_WORDS); a longer stretch stays whole.

    Args:
        text: the document text.
        s: object start.
        e: object end.

    Returns:
        (start, end) of each part.
    """
    parts, pos = [], s
    for m in EN_COORD.finditer(text, s, e):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, e))
    parts = [_trim(text, a, b) for a, b in parts]
    if len(parts) < 2 or any(b - a < 2 or len(text[a:b].split()) > MAX_EN_COORD_WORDS for a, b in parts):
        return [(s, e)]
    return parts


def _strip_prefixes(phrase: str, prefixes: Iterable[str]) -> str:
    prefixes = sorted(set(prefixes), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        phrase = phrase.lstrip(" ，,、")
        for p in prefixes:
            if p and phrase.startswith(p) and len(phrase) > len(p):
                phrase = phrase[len(p):]
                changed = True
                break
    return phrase.strip()


# Model-only spans (the NER model's new-term candidates) are not used to build tuples: on
# held-out text their span precision is below one half (models/ner-zh-en-v1/MODEL_CARD.md), and
# with them the seed papers' tuple precision and recall both fell by about one point.
USE_MODEL_MENTIONS = False
# The flag pipeline.normalize gives a head term emitted inside a longer mention (NESTED_FLAG there).
NESTED_FLAG = "nested"

# No mention is longer than this; bounds the look-back when finding the mentions that overlap a
# span in a list sorted by start (a whole-paper scan per claim made long papers quadratic).
MAX_MENTION_CHARS = 200


def _near(mentions: list[Mention], s: int, e: int) -> list[Mention]:
    """Mentions of a start-sorted list that may overlap [s, e): those starting in [s - MAX, e)."""
    lo = bisect_left(mentions, s - MAX_MENTION_CHARS, key=lambda m: m.start)
    hi = bisect_left(mentions, e, lo=lo, key=lambda m: m.start)
    return mentions[lo:hi]


def _best_mention(mentions: list[Mention], s: int, e: int, labels: tuple[str, ...]) -> Mention | None:
    """The longest mention of one of ``labels`` inside [s, e) (overlap for short spans)."""
    best = None
    for m in _near(mentions, s, e):
        if m.end <= s or m.label not in labels:
            continue
        if best is None or (m.end - m.start) > (best.end - best.start):
            best = m
    return best


def _studies(tuples: list[StudyTuple]) -> tuple[Study, ...]:
    seen: dict[str, Study] = {}
    for t in tuples:
        st = seen.get(t.study_id)
        if st is None:
            seen[t.study_id] = Study(t.study_id, t.refs, t.first_author, t.year, t.design, t.species,
                                     t.condition, t.model, 1)
        else:
            seen[t.study_id] = replace(st, n_tuples=st.n_tuples + 1,
                                       design=st.design or t.design, species=st.species or t.species)
    return tuple(seen.values())


def build(config: Config):
    """Build the tuples stage.

    Args:
        config: run settings (``rules_dir``).

    Returns:
        A callable Document -> Document setting ``tuples`` and ``studies``.
    """
    return TupleExtractor(load_rules(config.rules_dir))


# Evidence Inference reports significance as p-values: a sentence whose every p-value is above
# this level states no significant difference (the conventional alpha).
ALPHA = 0.05
P_VALUE_RE = re.compile(r"\bp\s*(?:value\s*)?([<>=≤≥]|&lt;|&gt;)\s*(0?\.\d+)", re.I)


# 'higher in Group B than in Group A': the group before than/compared with is the one the cue describes;
# when the study's intervention is the group after it, the direction flips (Evidence Inference
# prompts ask about the intervention relative to the comparator).
EN_COMPARISON_RE = re.compile(r"\b(?:in|on|with|for)\s+(?:the\s+)?(?P<a>[^,;()]{1,60}?)\s*(?:\([^)]*\)\s*)?"
                              r"(?:than|compared\s+(?:to|with)|versus|vs\.?|relative\s+to|as\s+compared\s+to)\s+"
                              r"(?:in\s+|with\s+|on\s+)?(?:the\s+|those\s+(?:in|of)\s+(?:the\s+)?)?(?P<b>[^,;()]{1,60})", re.I)
# An arm named in a result sentence: 'in group II', 'in the placebo group', 'than in the INP group'.
EN_ARM_RE = re.compile(r"\b(?:in|than|for)\s+(?:in\s+)?(?:the\s+)?(?P<x>group\s+[A-Z0-9]{1,4}\b|"
                       r"[A-Za-z0-9\-]+(?:\s+[A-Za-z0-9\-]+)?\s+(?:group|arm)\b)")
# A value reported for an arm: '209 s in group I', '4 for bolus therapy', '6 (42–1)/day in the control group'.
EN_ARM_VALUE_RE = re.compile(r"(?P<v>-?\d+(?:\.\d+)?)\s*+(?:%|[A-Za-z/²]{1,8}(?:/[A-Za-z²]+)?)?\s*+(?:\([^)]{0,40}\)\s*+)?"
                             r"(?:/\w+\s*+)?(?:in|for|with)\s+(?:the\s+)?(?P<arm>(?:group\s+[A-Z0-9]{1,4}\b)|"
                             r"[A-Za-z0-9\-]+(?:\s+[A-Za-z0-9\-]+){0,2}?\s+(?:group|arm|therapy|patients)\b)")
# The measured quantity before its two arm values: 'The mean cecal intubation time was 209 s in group I …'.
EN_VALUE_SUBJECT_RE = re.compile(r"\s*(?:the\s+)?(?P<o>[A-Za-z][\w\-/ ]{2,80}?)\s+(?:was|were)\s+(?=-?\d)", re.I)
FLIP = {"increase": "decrease", "decrease": "increase", "improve": "worsen", "worsen": "improve"}


def _non_significant(text: str) -> bool:
    """Whether every p-value in ``text`` is above ALPHA ('p = 0.12', 'P>0.05'); False without p-values."""
    pvals = [(op, float(v)) for op, v in P_VALUE_RE.findall(text)]
    return bool(pvals) and all((op in (">", "≥", "&gt;") and v >= ALPHA) or (op == "=" and v > ALPHA)
                               for op, v in pvals)


def _word_overlap(a: str, b: str) -> int:
    """Shared content words of two phrases; a group label ('Group B', 'group II') counts as one word."""
    def words(t: str) -> set[str]:
        t = t.lower()
        found = {w for w in re.findall(r"[a-z0-9]+", t) if len(w) > 1 and w not in ("the", "group", "in", "of", "and")}
        found |= {"group " + g for g in re.findall(r"\bgroup\s+([a-z0-9]{1,4})\b", t)}
        return found
    return len(words(a) & words(b))


def english_direction(sentence: str, extractor: TupleExtractor, outcome: str | None = None,
                      intervention: str | None = None, comparator: str | None = None) -> str | None:
    """Direction an English result sentence states about ``outcome``.

    No-difference phrases and non-significant p-values give ``no_change``; otherwise the
    direction cue nearest to the outcome's words decides, negated cues (NegEx window)
    becoming ``no_change``; improve/worsen are kept as the sentence says them.

    Args:
        sentence: one English sentence.
        extractor: the tuples stage (its cue lexicon).
        outcome: the outcome's words, to pick the cue in scope.

    Returns:
        increase, decrease, improve, worsen, no_change, or None when no cue is found.
    """
    lex = extractor.lex
    if lex.en_dir_re is None:
        return None
    pvals = [(op, float(v)) for op, v in P_VALUE_RE.findall(sentence)]
    if _non_significant(sentence):
        return "no_change"
    cues = []
    for m in lex.en_dir_re.finditer(sentence):
        w = m.group(0).lower()
        if w in EN_DEGREE_COMPARATIVES and EN_DEGREE_VERB_RE.match(sentence, m.end()):
            continue  # 'more reduced': the verb after the degree word is the cue
        direction = lex.en_dir[w]
        before = re.findall(r"[A-Za-z']+", sentence[:m.start()])[-EN_NEGATION_WINDOW:]
        if direction != "no_change" and any(t.lower() in lex.en_neg for t in before) \
                and not EN_PSEUDO_NEGATION_RE.search(sentence, 0, m.start()):
            direction = "no_change"
        cues.append((m.start(), m.end(), direction))
    if not cues:
        if intervention and any(v <= ALPHA if op in ("<", "≤", "&lt;") else v < ALPHA for op, v in pvals if op not in (">", "≥", "&gt;")):
            return _numeric_direction(sentence, intervention, comparator)
        return None
    if any(d == "no_change" for _, _, d in cues) and not (pvals and any(v < ALPHA for _, v in pvals)):
        return "no_change"
    anchor = None
    if outcome:
        words = [w for w in re.findall(r"[a-z0-9]+", outcome.lower()) if len(w) > 3]
        positions = [sentence.lower().find(w) for w in words if w in sentence.lower()]
        if positions:
            anchor = sum(positions) / len(positions)
    direction = cues[0][2] if anchor is None else min(cues, key=lambda c: abs((c[0] + c[1]) / 2 - anchor))[2]
    if intervention and direction in FLIP:
        m = EN_COMPARISON_RE.search(sentence)
        if m is not None and _word_overlap(intervention, m.group("b")) > _word_overlap(intervention, m.group("a")) \
                and _word_overlap(intervention, m.group("b")) > _word_overlap(comparator or "", m.group("b")):
            direction = FLIP[direction]
        elif m is None and comparator:
            # 'Increased loop formation was seen in group II', 'X was shorter than in the INP group': the one
            # arm the sentence names is the comparator, so the intervention changed the other way
            arms = [g.group("x") for g in EN_ARM_RE.finditer(sentence)]
            if arms and all(_word_overlap(comparator, a) > _word_overlap(intervention, a) for a in arms):
                direction = FLIP[direction]
    return direction


def _numeric_direction(sentence: str, intervention: str, comparator: str | None) -> str | None:
    """Direction from two arm values a significant result reports without a cue word:
    'was 209 s in group I and 224 s in group II (p<0.05)', '4 for bolus therapy and 3 for CI therapy'.

    Args:
        sentence: an English result sentence with a significant p-value.
        intervention: the intervention's words (Evidence Inference prompt).
        comparator: the comparator's words.

    Returns:
        increase or decrease for the intervention arm's value against the other arm's, else None.
    """
    found = [(float(m.group("v")), m.group("arm")) for m in EN_ARM_VALUE_RE.finditer(sentence)]
    if len(found) != 2 or found[0][0] == found[1][0]:
        return None
    scores = [_word_overlap(intervention, arm) - _word_overlap(comparator or "", arm) for _, arm in found]
    if scores[0] == scores[1]:
        return None
    (vi, _), (vc, _) = found if scores[0] > scores[1] else found[::-1]
    return "increase" if vi > vc else "decrease"
