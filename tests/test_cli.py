"""CLI: every command has help text; run writes the tables and the exit code says how it went."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import cli

runner = CliRunner()


def _commands(app, prefix=()):
    for cmd in app.registered_commands:
        yield prefix + (cmd.name or cmd.callback.__name__.replace("_", "-"),), cmd.callback
    for group in app.registered_groups:
        yield from _commands(group.typer_instance, prefix + (group.name,))


@pytest.mark.parametrize("path,callback", list(_commands(cli.app)))
def test_cli_every_command_has_help(path, callback):
    assert callback.__doc__ and "Example:" in callback.__doc__, f"{path} has no help text with an example"
    result = runner.invoke(cli.app, [*path, "--help"])
    assert result.exit_code == 0, result.output


def test_cli_run_writes_tables_and_exit_code(tmp_path):
    papers = tmp_path / "in"
    papers.mkdir()
    (papers / "ok.txt").write_text("骨质疏松（osteoporosis, OP）是一种全身代谢性骨病。", encoding="utf-8")
    (papers / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(cli.app, ["run", str(papers), "--out", str(out), "--no-ner"])
    assert result.exit_code == 1, result.output  # one paper failed, the other was written
    assert (out / "text" / "ok.txt").exists()
    errors = (out / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 2 and errors[1].startswith("empty,")


def test_cli_run_missing_input_is_usage_error(tmp_path):
    result = runner.invoke(cli.app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
