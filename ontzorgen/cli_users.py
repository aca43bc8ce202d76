# SPDX-License-Identifier: EUPL-1.2
"""``ontzorgen user …`` and ``ontzorgen audit``: users, roles, caseloads and the audit log.

Without ``--as`` a user command runs as the installation's operator (who may register the
first users of a gemeente); with ``--as`` it needs a beheerder of that gemeente.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ontzorgen.auth.roles import Role, role_from_text
from ontzorgen.cli import OperatorOption, UserOption, acting, app, console, operator, session_scope
from ontzorgen.db import after_commit

user_app = typer.Typer(help="Gebruikers, hun rollen en caseloads.", no_args_is_help=True)
app.add_typer(user_app, name="user")

GemeenteOption = Annotated[str, typer.Option(help="Gemeente code, e.g. 0439")]
RoleOption = Annotated[
    list[str],
    typer.Option(
        "--role",
        help="inkomen-medewerker, accordeerder, budgetcoach, accountant or beheerder "
        "(repeat for more)",
    ),
]


def _roles(names: list[str]) -> list[Role]:
    try:
        return [role_from_text(name) for name in names]
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--role") from None


@user_app.command("add")
def user_add(
    login: Annotated[str, typer.Argument(help="Login name (as at the identity provider)")],
    name: Annotated[str, typer.Option(help="Display name")],
    gemeente: GemeenteOption,
    role: RoleOption,
    user: OperatorOption = None,
) -> None:
    """A new staff user with roles in one gemeente."""
    from ontzorgen.auth.users import add_user

    roles = _roles(role)
    with session_scope() as session:
        add_user(session, operator(session, user), login, display_name=name, gemeente=gemeente,
                 roles=roles)  # fmt: skip
        message = f"Gebruiker {login} aangemaakt met {', '.join(r.value for r in roles)}."
        after_commit(session, lambda: console.print(message))


@user_app.command("roles")
def user_roles(
    login: Annotated[str, typer.Argument(help="Login name")],
    gemeente: GemeenteOption,
    role: Annotated[
        list[str] | None, typer.Option("--role", help="The roles (none: remove)")
    ] = None,
    user: OperatorOption = None,
) -> None:
    """Set a user's roles in a gemeente to exactly these (no --role removes them all)."""
    from ontzorgen.auth.users import grant_roles

    roles = _roles(role or [])
    with session_scope() as session:
        grant_roles(session, operator(session, user), login, gemeente, roles)
    console.print(
        f"Rollen van {login} in {gemeente}: {', '.join(r.value for r in roles) or 'geen'}."
    )


@user_app.command("deactivate")
def user_deactivate(
    login: Annotated[str, typer.Argument(help="Login name")],
    gemeente: GemeenteOption,
    user: OperatorOption = None,
) -> None:
    """A user can no longer log in or act (they stay in the audit log)."""
    from ontzorgen.auth.users import set_active

    with session_scope() as session:
        set_active(session, operator(session, user), login, gemeente, False)
    console.print(f"Gebruiker {login} gedeactiveerd.")


@user_app.command("list")
def user_list(gemeente: GemeenteOption, user: OperatorOption = None) -> None:
    """The users with a role in the gemeente."""
    from ontzorgen.auth.users import list_users

    with session_scope() as session:
        users = list_users(session, operator(session, user), gemeente)
    table = Table(title=f"Gebruikers gemeente {gemeente}")
    for column in ("login", "naam", "rollen", "actief", "gekoppeld"):
        table.add_column(column)
    for found in users:
        table.add_row(found.login, found.display_name, ", ".join(found.roles[gemeente]),
                      "ja" if found.active else "nee", "ja" if found.linked else "nee")  # fmt: skip
    console.print(table)


@user_app.command("coach")
def user_coach(
    household: Annotated[str, typer.Argument(help="The gemeente's household reference")],
    gemeente: GemeenteOption,
    coach: Annotated[str, typer.Option(help="Login of the budgetcoach")],
    user: OperatorOption = None,
) -> None:
    """Put a household in a budgetcoach's caseload."""
    from ontzorgen.auth.users import assign_coach

    with session_scope() as session:
        assign_coach(session, operator(session, user), gemeente, household, coach)
    console.print(f"Huishouden {household} zit in de caseload van {coach}.")


@app.command("audit")
def audit_export(
    gemeente: GemeenteOption,
    household: Annotated[
        str | None, typer.Option(help="Only this household (an AVG inzageverzoek)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the CSV here")] = None,
    user: UserOption = None,
) -> None:
    """The audit log as CSV: who did or saw what, when, about which household."""
    from ontzorgen.auth.audit import audit_csv, audit_rows

    with session_scope() as session:
        text = audit_csv(
            audit_rows(session, acting(session, user), gemeente, household_ref=household)
        )
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"{out} geschreven.")
