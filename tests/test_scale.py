"""Scale-out on a real (private, single-machine) Ray instance: same tables as the local
engine, and a hanging or crashing paper is one error row while the batch carries on."""

from __future__ import annotations

import pytest

from pipeline import batch, export
from pipeline.config import Config

ray = pytest.importorskip("ray")

# fmt: off
PAPERS = {
    "zh_review.txt": "骨髓间充质干细胞（bone marrow mesenchymal stem cells, BMSCs）经尾静脉移植后，"
                     "去卵巢大鼠的骨密度明显增加[1]。",
    "en_paper.txt": "Mesenchymal stem cells (MSCs) significantly increased bone mineral density "
                    "in ovariectomized rats [2].",
    "a_hang.txt": "Mesenchymal stem cells (MSCs) increased BMD.",
    "b_crash.txt": "间充质干细胞（MSCs）促进成骨。",
}
# fmt: on



def _papers(tmp_path, names):
    folder = tmp_path / "papers"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(PAPERS[name], encoding="utf-8")
    return folder


def test_scale_ray_engine_writes_the_same_tables_as_the_local_engine(tmp_path):
    import pipeline

    folder = _papers(tmp_path, ["zh_review.txt", "en_paper.txt"])
    batch.run_batch(pipeline.build(Config(engine="ray", workers=2, use_ner=False), lazy=True), [folder],
                    tmp_path / "ray")
    batch.run_batch(pipeline.build(Config(use_ner=False, paper_timeout=0)), [folder], tmp_path / "local")
    for table in ("abbreviations", "mentions", "tuples"):
        ray_rows = export.read_table(tmp_path / "ray", table)
        local_rows = export.read_table(tmp_path / "local", table)
        assert len(local_rows) > 0, table
        assert ray_rows.equals(local_rows), table


def test_scale_ray_hanging_or_crashing_paper_is_one_error_row(tmp_path, hang_stage):
    import pipeline

    folder = _papers(tmp_path, list(PAPERS))
    config = Config(engine="ray", workers=2, use_ner=False, stages=("segment",),
                    extra_stages=(hang_stage,), paper_timeout=10)
    result = batch.run_batch(pipeline.build(config, lazy=True), [folder], tmp_path / "ray")
    errors = export.read_table(tmp_path / "ray", "errors").set_index("doc_id")["error"].to_dict()
    assert set(errors) == {"a_hang", "b_crash"}
    assert errors["a_hang"].startswith("timeout") and "died" in errors["b_crash"]
    assert result.n_docs == 4 and result.n_errors == 2
    assert (tmp_path / "ray" / "text" / "zh_review.txt").exists()


def test_scale_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        Config(engine="spark")
