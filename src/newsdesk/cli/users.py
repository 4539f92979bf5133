"""``newsdesk user``: accounts (add, list, passwd, remove), their app passwords for
reader apps and API tokens for scripts (add, list, remove). Registered on the main
command by :mod:`newsdesk.cli.main`. A new password is read twice from a prompt, or once
from standard input with ``--password-stdin``; a new app password or token is printed
alone on standard output, once — the store keeps only its digest."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from newsdesk.cli.common import State, app, err, opened, safe
from newsdesk.errors import ConfigError

user_app = typer.Typer(no_args_is_help=True, help="Accounts, their app passwords and API tokens.")
app.add_typer(user_app, name="user")
app_password_app = typer.Typer(no_args_is_help=True, help="App passwords: what reader apps sign in with.")
user_app.add_typer(app_password_app, name="app-password")
token_app = typer.Typer(no_args_is_help=True, help="API tokens: Authorization: Bearer, for scripts.")
user_app.add_typer(token_app, name="token")

Name = Annotated[str, typer.Argument(help="User name (lower case, digits, _ . -).")]
FromStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Label = Annotated[str, typer.Option("--label", help="What it is for (an app, a script).")]


def _password(from_stdin: bool) -> str:
    from newsdesk import accounts  # argon2 loads in 0.1 s: only for these commands

    if from_stdin:
        return accounts.check_password(sys.stdin.readline().rstrip("\r\n"))
    return accounts.check_password(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def add_command(
    ctx: typer.Context,
    name: Name,
    admin: Annotated[bool, typer.Option("--admin", help="May manage sources, watchlists and users.")] = False,
    password_stdin: FromStdin = False,
) -> None:
    """Add a user. Example: echo "$PW" | newsdesk user add ada --admin --password-stdin"""
    from newsdesk import accounts

    accounts.check_name(name)
    hashed = accounts.hash_password(_password(password_stdin))
    with opened(ctx.obj) as store:
        store.add_user(name, hashed, admin=admin)
    err.print(f"user {name} added{' (admin)' if admin else ''}")


@user_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Every user."""
    with opened(ctx.obj) as store:
        found = store.users()
    if as_json:
        shown = [{"name": u.name, "admin": u.admin, "created": u.created.isoformat()} for u in found]
        typer.echo(json.dumps(shown, indent=2))
        return
    for user in found:
        typer.echo(f"{user.name:<40} {'admin' if user.admin else 'reader'}  since {user.created:%Y-%m-%d}")


@user_app.command("passwd")
def passwd_command(ctx: typer.Context, name: Name, password_stdin: FromStdin = False) -> None:
    """Set a user's password."""
    from newsdesk import accounts

    hashed = accounts.hash_password(_password(password_stdin))
    with opened(ctx.obj) as store:
        if not store.set_password(name, hashed):
            raise ConfigError(f"no user {name!r} (newsdesk user list)")
    err.print(f"password of {name} changed")


@user_app.command("remove")
def remove_command(ctx: typer.Context, name: Name) -> None:
    """Remove a user with their app passwords and tokens."""
    with opened(ctx.obj) as store:
        if not store.remove_user(name):
            raise ConfigError(f"no user {name!r} (newsdesk user list)")
    err.print(f"user {name} removed")


def _add(state: State, name: str, kind: str, label: str) -> None:
    from newsdesk import accounts

    token = accounts.new_token(kind)
    with opened(state) as store:
        fever = accounts.digest(accounts.fever_key(name, token)) if kind == "app" else None
        store.add_token(name, kind, label, accounts.digest(token), fever)
    typer.echo(token)  # alone on standard output: the only time it is shown


def _list(state: State, name: str, kind: str, as_json: bool) -> None:
    with opened(state) as store:
        if store.user(name) is None:
            raise ConfigError(f"no user {name!r} (newsdesk user list)")
        found = store.tokens(name, kind)
    if as_json:
        typer.echo(json.dumps([t.as_json() for t in found], indent=2, ensure_ascii=False))
        return
    for token in found:
        used = f"last used {token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never used"
        typer.echo(safe(f"{token.id:>5}  {token.label or '-':<30} created {token.created:%Y-%m-%d}, {used}"))


def _remove(state: State, name: str, kind: str, token_id: int) -> None:
    with opened(state) as store:
        if not any(t.id == token_id for t in store.tokens(name, kind)) or not store.remove_token(name, token_id):
            raise ConfigError(f"{name} has no {'app password' if kind == 'app' else 'token'} {token_id}")
    err.print(f"revoked {token_id} of {name}")


def _commands(group: typer.Typer, kind: str, noun: str) -> None:
    """``add``, ``list`` and ``remove`` of one kind of token under ``group``."""

    @group.command("add", help=f"A new {noun}, printed once.")
    def add(ctx: typer.Context, name: Name, label: Label = "") -> None:
        _add(ctx.obj, name, kind, label)

    @group.command("list", help=f"A user's {noun}s (ids, labels, last use; never the secrets).")
    def listed(ctx: typer.Context, name: Name, as_json: JsonOption = False) -> None:
        _list(ctx.obj, name, kind, as_json)

    @group.command("remove", help=f"Revoke one {noun} (by the id `list` shows).")
    def remove(ctx: typer.Context, name: Name, token_id: int) -> None:
        _remove(ctx.obj, name, kind, token_id)


_commands(app_password_app, "app", "app password")
_commands(token_app, "api", "API token")
