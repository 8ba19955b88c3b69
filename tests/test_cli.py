"""The vlr command: every subcommand has help text with an example."""

from __future__ import annotations

import argparse

import pytest

from vlr_tools.cli import build_parser, main


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _walk(parser, prefix=()):
    for name, sub in _subparsers(parser):
        yield (*prefix, name), sub
        yield from _walk(sub, (*prefix, name))


def test_top_level_help_lists_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "Example" in capsys.readouterr().out


def test_every_subcommand_has_help_and_example():
    parser = build_parser()
    missing = []
    for path, sub in _walk(parser):
        has_children = any(True for _ in _subparsers(sub))
        if has_children:
            continue
        if not sub.description or "Example" not in (sub.epilog or ""):
            missing.append(" ".join(path))
    assert not missing, f"subcommands without description or example: {missing}"


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 1
    assert "usage" in capsys.readouterr().out


def test_usage_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["framework", "show", "11.6", "--lang", "fr"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: vlr framework show: argument --lang")
    assert "usage:" not in err[0]


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    status = main(["framework", "import", str(blocker / "nested.xlsx"), "--dry-run"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error:")
    assert "Traceback" not in err
