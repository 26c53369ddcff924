"""Every CLI command is documented in the README, and the README opens with the two commands."""

from __future__ import annotations

from pathlib import Path

import typer.main

from duluan.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=""):
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        if sub:
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_readme_opens_with_make_demo_and_make_test():
    head = "\n".join(README.splitlines()[:8])
    assert "make demo" in head and "make test" in head


def test_every_command_is_in_the_readme():
    click_app = typer.main.get_command(app)
    missing = []
    for cmd in _commands(click_app):
        group, _, leaf = cmd.rpartition(" ")
        documented = f"duluan {cmd}" in README or (group and f"duluan {group} " in README and leaf in README)
        if not documented:
            missing.append(cmd)
    assert not missing, f"undocumented commands: {missing}"
