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
