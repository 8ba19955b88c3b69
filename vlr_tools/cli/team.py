"""``vlr team``: who is on a shared PostgreSQL workspace, and who is on each review.

PostgreSQL enforces what each member may do (see ``vlr_tools.workspace.team``);
these commands manage the lists it reads. ``scripts/hub add-user`` calls
``add`` for the team server and also gives the person a hub login.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..workspace import TEAM_ROLES
from ._common import show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr team`` and its subcommands."""
    parser = subparsers.add_parser(
        "team",
        help="team members and review members of a shared PostgreSQL workspace",
        description="On a shared PostgreSQL workspace each team member has their own database "
        "role, and PostgreSQL itself decides what they may change: a member writes only to the "
        "reviews they belong to, observers only read, and only a review's lead sets final "
        "ratings, changes the review's status or its members. The history records the database "
        "user. A SQLite workspace has no such checks (one person, one laptop).",
        epilog="Examples:\n  vlr team add maria --role reviewer --workspace OWNER_URL\n"
        "  vlr team list\n  vlr team members santa-rosa-v1-1a2b3c4d\n"
        "  vlr team add-member santa-rosa-v1-1a2b3c4d maria --role reviewer",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="team_command", metavar="SUBCOMMAND")
    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    add = sub.add_parser(
        "add",
        parents=[common],
        help="give a person a database role on the team (workspace owner)",
        description="Make (or update) the database role NAME with the team role lead, reviewer "
        "or observer, and grant it what that role may touch. Run it with the workspace owner's "
        "URL; the owner needs PostgreSQL's CREATEROLE right. A lead may start reviews; a "
        "reviewer may rate and annotate the reviews they are a member of; an observer (e.g. a "
        "partner city's focal person) only reads their reviews. Prints nothing secret unless "
        "--password-file is given: the new password is written there (mode 600).",
        epilog="Examples:\n  vlr team add maria --role lead --workspace OWNER_URL "
        "--password-file maria.pw\n"
        "  vlr team add sanfernando_focal --role observer --display-name 'City focal person' "
        "--peer",
        formatter_class=_RAW,
    )
    add.add_argument("name", help="lower-case letters, digits and _; the hub user name")
    add.add_argument("--role", required=True, choices=TEAM_ROLES, help="the team role")
    add.add_argument("--display-name", metavar="TEXT", help="the person's full name")
    add.add_argument(
        "--password-file",
        metavar="FILE",
        help="write the new database password to FILE (mode 600) for the person's server",
    )
    add.add_argument(
        "--peer",
        action="store_true",
        help="no password: the person's server runs as the OS user NAME and logs in over the "
        "local socket (peer authentication)",
    )
    add.set_defaults(func=cmd_add)

    remove = sub.add_parser(
        "remove",
        parents=[common],
        help="disable a team member (workspace owner); their work stays",
        description="Take away a member's database login and rights. Their ratings, comments and "
        "history stay; `vlr team add` enables them again.",
        epilog="Example:\n  vlr team remove maria --workspace OWNER_URL",
        formatter_class=_RAW,
    )
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove)

    listing = sub.add_parser(
        "list",
        parents=[common],
        help="the team: names, roles, enabled or not",
        description="List the team members of the workspace with their team role.",
        epilog="Example:\n  vlr team list",
        formatter_class=_RAW,
    )
    listing.set_defaults(func=cmd_list)

    members = sub.add_parser(
        "members",
        parents=[common],
        help="the members of one review and their roles",
        description="List who is on a review: its lead, reviewers and observers.",
        epilog="Example:\n  vlr team members santa-rosa-v1-1a2b3c4d",
        formatter_class=_RAW,
    )
    members.add_argument("review_id", metavar="REVIEW_ID")
    members.set_defaults(func=cmd_members)

    add_member = sub.add_parser(
        "add-member",
        parents=[common],
        help="put a team member on a review (the review's lead)",
        description="Make NAME a member of the review with ROLE (lead, reviewer or observer), or "
        "change their role. Only the review's lead (or the workspace owner) may; nobody can be "
        "more on a review than on the team. Leads and reviewers are also listed as the "
        "review's reviewers, so memos name them.",
        epilog="Examples:\n  vlr team add-member santa-rosa-v1-1a2b3c4d maria --role reviewer\n"
        "  vlr team add-member santa-rosa-v1-1a2b3c4d city_focal --role observer",
        formatter_class=_RAW,
    )
    add_member.add_argument("review_id", metavar="REVIEW_ID")
    add_member.add_argument("name")
    add_member.add_argument("--role", required=True, choices=TEAM_ROLES)
    add_member.set_defaults(func=cmd_add_member)

    remove_member = sub.add_parser(
        "remove-member",
        parents=[common],
        help="take a member off a review (the review's lead)",
        description="Remove NAME from the review; their ratings and history stay.",
        epilog="Example:\n  vlr team remove-member santa-rosa-v1-1a2b3c4d maria",
        formatter_class=_RAW,
    )
    remove_member.add_argument("review_id", metavar="REVIEW_ID")
    remove_member.add_argument("name")
    remove_member.set_defaults(func=cmd_remove_member)


def _write_secret(path: str, secret: str) -> None:
    import os

    target = Path(path).expanduser()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")


def cmd_add(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        member, password = ws.add_team_member(
            args.name,
            args.role,
            display_name=args.display_name,
            login="peer" if args.peer else "password",
        )
    if password is not None and args.password_file:
        _write_secret(args.password_file, password)
    print(f"team member {member.name} ({member.role}) can use the workspace")
    if password is not None and not args.password_file:
        print(
            "note: a new database password was set but not saved anywhere; give "
            "--password-file FILE to keep it (scripts/hub add-user does this for you)",
            file=sys.stderr,
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        member = ws.remove_team_member(args.name)
    print(f"team member {member.name} is disabled; their work and history stay")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        found = ws.team_members()
        where = ws.location
        backend = ws.backend
    if backend != "postgresql":
        print(f"{where} is a SQLite workspace: no team, no database users (one person, one laptop)")
        return 0
    if not found:
        print(f"no team members in {where}; add them with scripts/hub add-user or vlr team add")
        return 0
    rows = [
        (m.name, m.role, "yes" if m.active else "disabled", m.display_name or "", m.added_by)
        for m in found
    ]
    print(text_table(rows, ("name", "team role", "enabled", "full name", "added by")))
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        if ws.backend != "postgresql":
            print("a SQLite workspace has no review members: whoever opens the file may change it")
            return 0
        found = ws.members(args.review_id)
    rows = [(m.name, m.role, f"{m.added_at:%Y-%m-%d %H:%M}", m.added_by) for m in found]
    print(text_table(rows, ("name", "role", "added (UTC)", "added by")))
    return 0


def cmd_add_member(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        member = ws.add_member(args.review_id, args.name, args.role)
    print(f"{member.name} is {member.role} on review {member.review_id}")
    return 0


def cmd_remove_member(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        ws.remove_member(args.review_id, args.name)
    print(f"{args.name} is no longer a member of review {args.review_id}")
    return 0
