"""Batch runs: bad papers do not stop the batch, an interrupted run resumes, outputs stay whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline import Pipeline, batch, export
from pipeline.config import Config

# fmt: off
PAPERS = {
    "zh_review.txt": "间充质干细胞（mesenchymal stem cells, MSCs）可分化为成骨细胞。".encode("utf-8"),
    "en_paper.txt": b"Mesenchymal stem cells (MSCs) increased bone mineral density in ovariectomized rats.",
    "gbk_paper.txt": "骨质疏松（osteoporosis, OP）是一种代谢性骨病。".encode("gb18030"),
    "empty.txt": b"",
}
# fmt: on


def _mark(doc):
    return replace(doc, title_en="seen")


def _papers(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    for name, data in PAPERS.items():
        (folder / name).write_bytes(data)
    return folder


def test_batch_collects_folders_recursively_and_ids_are_stems(tmp_path):
    folder = _papers(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "en_paper.txt").write_bytes(b"Another paper.")
    (folder / "notes.docx").write_bytes(b"PK")
    files = batch.collect_inputs([folder])
    assert [f.name for f in files].count("notes.docx") == 0
    ids = batch.assign_doc_ids(files)
    assert "papers__en_paper" in ids and "sub__en_paper" in ids and len(set(ids)) == len(ids)
    assert "zh_review" in ids  # a stem seen once stays the doc_id
    # The same paper as PDF and text: told apart by format, whatever the input order.
    pair = [tmp_path / "a" / "x.txt", tmp_path / "x.pdf"]
    assert batch.assign_doc_ids(pair) == ["x__txt", "x__pdf"]
    assert batch.assign_doc_ids(pair[::-1]) == ["x__pdf", "x__txt"]


def test_batch_bad_paper_is_one_error_row_and_the_rest_is_written(tmp_path):
    folder = _papers(tmp_path)
    out = tmp_path / "out"
    result = batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    assert result.n_docs == 4 and result.n_errors == 1
    errors = export.read_table(out, "errors")
    assert list(errors["doc_id"]) == ["empty"]
    docs = export.read_table(out, "documents").set_index("doc_id")
    assert docs.loc["empty", "status"] == "error" and docs.loc["en_paper", "status"] == "ok"
    for name in ("zh_review", "en_paper", "gbk_paper"):
        assert (out / "text" / f"{name}.txt").read_text(encoding="utf-8")


def test_batch_interrupted_run_resumes_without_losing_outputs(tmp_path):
    folder = _papers(tmp_path)
    out = tmp_path / "out"
    first = batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    before = (out / "documents.csv").read_bytes()
    assert first.n_skipped == 0

    calls = []

    def crash_on_second(doc):
        calls.append(doc.doc_id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C in the middle of the batch
        return _mark(doc)

    (folder / "zh_review.txt").write_bytes("新的文本：脂肪间充质干细胞。".encode("utf-8"))  # changed file
    (folder / "new_paper.txt").write_bytes(b"A new paper about osteoarthritis.")
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(Pipeline(Config(), [("crash", crash_on_second)]), [folder], out)
    # The finished tables of the earlier run are untouched by the crash.
    assert (out / "documents.csv").read_bytes() == before
    assert not list(out.glob(".*.tmp"))

    calls.clear()
    resumed = batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    # Unchanged papers are reused from the store; only what is new or changed runs again.
    assert resumed.n_skipped >= 2
    assert resumed.n_docs == 5 and resumed.n_errors == 1
    docs = export.read_table(out, "documents")
    assert set(docs["doc_id"]) == {"zh_review", "en_paper", "gbk_paper", "empty", "new_paper"}
    assert "新的文本" in (out / "text" / "zh_review.txt").read_text(encoding="utf-8")




def test_batch_paper_over_time_limit_or_killing_its_worker_is_an_error_row(tmp_path, hang_stage):
    import pipeline

    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("a_ok", "b_hang", "c_crash", "d_ok"):
        (folder / f"{name}.txt").write_text("Mesenchymal stem cells (MSCs) increased BMD.", encoding="utf-8")
    config = Config(use_ner=False, stages=("segment",), extra_stages=(hang_stage,), paper_timeout=8)
    result = batch.run_batch(pipeline.build(config), [folder], tmp_path / "out")
    errors = export.read_table(tmp_path / "out", "errors").set_index("doc_id")["error"].to_dict()
    assert set(errors) == {"b_hang", "c_crash"}
    assert errors["b_hang"].startswith("timeout") and "died" in errors["c_crash"]
    assert result.n_docs == 4 and result.n_errors == 2
    assert (tmp_path / "out" / "text" / "d_ok.txt").exists()


def test_batch_code_change_invalidates_stored_papers(tmp_path, monkeypatch):
    folder = _papers(tmp_path)
    out = tmp_path / "out"
    batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    again = batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    assert again.n_skipped == 3  # every paper but the empty one is reused
    monkeypatch.setattr(batch, "code_digest", lambda: "other-code")
    after_upgrade = batch.run_batch(Pipeline(Config(), [("mark", _mark)]), [folder], out)
    assert after_upgrade.n_skipped == 0


def test_batch_candidates_group_new_model_terms_with_an_example():
    mentions = [
        {"doc_id": "p1", "sent_id": 3, "text": "尿源干细胞", "label": "CELL", "source": "model", "flag": "new_concept"},
        {"doc_id": "p2", "sent_id": 0, "text": "尿源干细胞", "label": "CELL", "source": "model", "flag": "new_concept"},
        {"doc_id": "p1", "sent_id": 4, "text": "spheroid culture", "label": "INTERVENTION", "source": "model",
         "flag": "new_concept"},
        {"doc_id": "p1", "sent_id": 4, "text": "MSCs", "label": "CELL", "source": "rule", "flag": None},
        {"doc_id": "p1", "sent_id": 5, "text": "BMSCs", "label": "CELL", "source": "model", "flag": None},  # linked
    ]
    sentences = [{"doc_id": "p1", "sent_id": 3, "text": "尿源干细胞可促进成骨。"},
                 {"doc_id": "p1", "sent_id": 4, "text": "Spheroid culture of MSCs."}]
    rows = batch._candidates(mentions, sentences)
    assert [(r["term"], r["count"], r["doc_ids"]) for r in rows] == [("尿源干细胞", 2, "p1;p2"),
                                                                    ("spheroid culture", 1, "p1")]
    assert rows[0]["example"] == "尿源干细胞可促进成骨。"


def test_batch_lazy_pipeline_builds_stages_only_when_a_paper_runs_here(tmp_path):
    import pipeline

    config = Config(use_ner=False, paper_timeout=0, stages=("sections", "segment"))
    pipe = pipeline.build(config, lazy=True)
    assert pipe.stages is None  # nothing loaded yet: the parent of worker processes stays light
    result = batch.run_batch(pipe, [_papers(tmp_path)], tmp_path / "out")
    assert [name for name, _ in pipe.stages] == ["sections", "segment"]
    assert result.n_ok == 3 and result.n_errors == 1  # the empty file


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("ner_model", "no/such/model", "NER model folder not found"),
        ("rules_dir", "no/such/rules", "required rule table missing"),
    ],
)
def test_batch_lazy_pipeline_still_fails_early_on_missing_model_or_rules(tmp_path, field, value, message):
    import pipeline

    config = Config(**{field: tmp_path / value})
    with pytest.raises(Exception, match=message):
        pipeline.build(config, lazy=True)


def test_batch_paper_warning_is_kept_and_printed_while_the_paper_counts_as_done(tmp_path, capsys):
    def warn(doc):
        return replace(doc, warnings=("ingest: dropped 1 of 3 pages as garbage glyphs: page 2",))

    result = batch.run_batch(Pipeline(Config(), [("warn", warn)]), [_papers(tmp_path)], tmp_path / "out")
    docs = export.read_table(tmp_path / "out", "documents").set_index("doc_id")
    assert docs.loc["zh_review", "status"] == "ok" and "page 2" in docs.loc["zh_review", "error"]
    assert result.n_errors == 1  # only the empty file
    assert "warning: zh_review: ingest: dropped 1 of 3 pages" in capsys.readouterr().err
