"""Command line: each command parses its arguments, calls the package, prints."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Bilingual (Chinese–English) extraction of abbreviations, concepts and "
                       "study → intervention → outcome tuples from biomedical papers.")
rules_app = typer.Typer(no_args_is_help=True, help="Check and inspect the rule tables in rules/.")
app.add_typer(rules_app, name="rules")


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="PDF/.txt files or folders (recursed)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder for tables, texts and report")] = Path("data/out"),
    ner_model: Annotated[Optional[Path], typer.Option(help="Local Hugging Face token-classification folder")] = None,
    ner_label_map: Annotated[Optional[Path], typer.Option(help="TSV: model label -> our label")] = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Rules only, no transformer model")] = False,
    workers: Annotated[int, typer.Option(help="Papers processed in parallel (processes)")] = 1,
    paper_timeout: Annotated[float, typer.Option(help="Seconds before a paper is abandoned (0: no worker process)")] = 900.0,
    rules_dir: Annotated[Optional[Path], typer.Option(help="Rule tables folder")] = None,
    engine: Annotated[str, typer.Option(help="local (processes on this machine) or ray (Ray actors)")] = "local",
    ray_address: Annotated[Optional[str], typer.Option(help="Join this Ray cluster (auto, ray://host:port); "
                                                            "default: a private Ray instance")] = None,
) -> None:
    """Process papers into tables, clean texts and an HTML report.

    Example: python cli.py run data/raw --out data/out
    """
    import pipeline
    from pipeline.config import Config
    from pipeline.rules import RuleTableError

    try:
        config = Config(workers=workers, use_ner=not no_ner, paper_timeout=paper_timeout, engine=engine,
                        ray_address=ray_address)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if ner_model is not None:
        config.ner_model = ner_model
    if ner_label_map is not None:
        config.ner_label_map = ner_label_map
    if rules_dir is not None:
        config.rules_dir = rules_dir
    try:
        pipe = pipeline.build(config, lazy=True)
        result = pipeline.run_batch(pipe, list(inputs), out, progress=sys.stderr.isatty())
    except (FileNotFoundError, RuleTableError, RuntimeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(result.summary())
    raise typer.Exit(1 if result.n_errors else 0)


@app.command("eval")
def evaluate(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `run`")],
    gold: Annotated[list[Path], typer.Argument(help="Gold JSON files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
) -> None:
    """Score a run against gold annotations (shared/gold/README.md format).

    Example: python cli.py eval data/out ../shared/gold
    """
    import json

    from pipeline import evaluate as ev

    scores = ev.evaluate_run(run_dir, gold)
    typer.echo(json.dumps(scores, ensure_ascii=False, indent=2) if as_json else ev.format_scores(scores))


@app.command()
def report(run_dir: Annotated[Path, typer.Argument(help="A run folder written by `run`")]) -> None:
    """Rebuild the HTML spot-check report of a run.

    Example: python cli.py report data/out
    """
    from pipeline import report as rep

    index = rep.build_report(run_dir)
    typer.echo(f"report -> {index}")


@rules_app.command("check")
def rules_check(rules_dir: Annotated[Path, typer.Argument(help="Rule tables folder")] = Path("rules")) -> None:
    """Validate the rule tables and print every problem found.

    Example: python cli.py rules check rules/
    """
    from pipeline.rules import check_rules

    rules, problems = check_rules(rules_dir)
    for p in problems:
        typer.echo(p)
    if rules is not None:
        typer.echo(f"{len(rules.concepts)} concepts, {len(rules.aliases)} aliases, {len(rules.cues)} cues, "
                   f"{len(problems)} problems")
    raise typer.Exit(1 if problems else 0)


@app.command("train-ner")
def train_ner(
    out: Annotated[Path, typer.Option(help="Model folder to write")] = Path("models/ner-zh-en-v1"),
    corpus: Annotated[Optional[list[Path]], typer.Option(help="Text files/folders for pre-training and silver labels")] = None,
    max_minutes: Annotated[float, typer.Option(help="Time budget for the whole training")] = 40.0,
    tiny: Annotated[bool, typer.Option(help="A few steps on a tiny corpus (for tests)")] = False,
) -> None:
    """Train the NER model from scratch (tokenizer, MLM pre-training, token classification).

    Example: python cli.py train-ner --out models/ner-zh-en-v1
    """
    from pipeline import train_ner as tn

    card = tn.train(out, corpus=corpus, max_minutes=max_minutes, tiny=tiny)
    typer.echo(f"model -> {out} ({card})")


if __name__ == "__main__":
    app()
