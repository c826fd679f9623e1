"""`kezek token ...`: mint a bearer token, revoke one, retire a key, list the keys.

    kezek token --role officer --provider almaty [--subject officer-7] [--hours 8]
    kezek token --role applicant --iin IIN          # carries the IIN's keyed reference only
    kezek token revoke JTI_OR_TOKEN [--note "laptop stolen"]
    kezek token retire KID [--note "rotated out"]
    kezek token keys

A token lives no longer than its role allows (api.auth.MAX_LIFETIME): asking for more is
refused (exit 2). Minting prints the token alone on stdout, and its id, key and expiry on
stderr, for the operator's record. The operator's steps: docs/security.md, "Tokens".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import jwt
import typer

from api.auth import CLOCK_SKEW, Principal, TokenRefused, describe
from cli.groups import command_group
from cli.store import settings_for
from config.settings import BadIdentityKey, MissingIdentityKey, Settings, identity_key
from domain.actors import PROVIDER_ROLES
from domain.complaints import body_of
from domain.iin import InvalidIIN, parse_iin
from domain.reference import UnknownReference, get_provider
from domain.store_url import BadDatabaseURL
from domain.values import Role

token_app = command_group(
    "token", "Mint a bearer token (--role ...), or revoke one, retire a key, list the keys.",
    no_args_is_help=False,
)  # fmt: skip
DEMO_PROVIDER = "almaty"
# Who each demo token speaks for (the demo's own staff and bodies use these ids).
DEMO_SUBJECTS = {
    Role.OFFICER: f"officer-{DEMO_PROVIDER}-1",
    Role.HEAD: f"head-{DEMO_PROVIDER}",
    Role.COMPLAINT_BODY: "quality-body",
    Role.COURT: "court-almaty-1",
    Role.AUDITOR: "auditor-1",
    Role.PORTAL: "egov-portal",
}
DatabaseURL = Annotated[
    str | None,
    typer.Option("--database-url", help="Whose keys and store (default: KEZEK_DATABASE_URL's)."),
]
KEY_ERRORS = (MissingIdentityKey, BadIdentityKey, BadDatabaseURL)


class TokenRequestError(ValueError):
    """The role and the options given do not make a token."""


def principal_for(
    settings: Settings,
    role: Role,
    *,
    provider: str | None = None,
    subject: str | None = None,
    iin: str | None = None,
) -> Principal:
    """Whom a token speaks for. An applicant's subject is the keyed reference of their IIN,
    never the IIN; staff belong to a provider; bodies, courts, auditors and the portal to none."""
    if role is Role.APPLICANT:
        if iin is None:
            raise TokenRequestError("an applicant token needs --iin")
        try:
            parse_iin(iin)
        except InvalidIIN:
            raise TokenRequestError("--iin is not a valid IIN") from None
        return Principal(subject=identity_key(settings).applicant_ref(iin), role=role)
    if iin is not None:
        raise TokenRequestError("--iin is only for an applicant token")
    if role in PROVIDER_ROLES:
        if provider is None:
            raise TokenRequestError(f"a token for the role {role.value} needs --provider")
        get_provider(provider)  # UnknownReference for a code the reference data lacks
    elif provider is not None:
        raise TokenRequestError(f"a token for the role {role.value} names no provider")
    default = f"{role.value}-{provider}-1" if role in PROVIDER_ROLES else DEMO_SUBJECTS[role]
    principal = Principal(subject=subject or default, role=role, provider=provider)
    if role is Role.COMPLAINT_BODY and body_of(principal.actor) is None:
        raise TokenRequestError(
            "a complaint body's --subject is its code: higher-body[:NAME] or quality-body[:NAME]"
        )
    return principal


def refused(verb: str, message: object) -> typer.Exit:
    """Say why on stderr; the caller raises the exit (status 2: nothing was done)."""
    typer.echo(f"kezek token{verb}: {message}", err=True)
    return typer.Exit(2)


@token_app.callback(invoke_without_command=True)
def mint(
    ctx: typer.Context,
    role: Annotated[Role | None, typer.Option(help="Whom the token speaks for.")] = None,
    provider: Annotated[
        str | None, typer.Option(help="The service provider (officer, head).")
    ] = None,
    subject: Annotated[
        str | None, typer.Option(help="Staff number or body code (default: a demo one).")
    ] = None,
    iin: Annotated[
        str | None,
        typer.Option(help="An applicant's IIN: the token carries its keyed reference, not it."),
    ] = None,
    hours: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Validity (default 12): at most 168 (7 days) for staff, bodies, courts and"
            " auditors, 12 for an applicant or the portal.",
        ),
    ] = None,
    database_url: DatabaseURL = None,
) -> None:
    """Print a bearer token signed with the configured token key (with --role), or run a verb."""
    if ctx.invoked_subcommand is not None:
        return
    if role is None:
        typer.echo("kezek token: give --role ROLE, or a verb (revoke, retire, keys)", err=True)
        raise typer.Exit(2)
    from api.services import token_issuer

    settings = settings_for(database_url)
    try:
        principal = principal_for(settings, role, provider=provider, subject=subject, iin=iin)
        tokens = token_issuer(settings)
        token = tokens.issue(principal, hours=hours)
    except (TokenRequestError, UnknownReference, TokenRefused) as error:
        raise refused("", error) from None
    except KEY_ERRORS as error:
        raise refused("", f"cannot sign: {error}") from None
    claims = jwt.decode(token, options={"verify_signature": False})
    expires = datetime.fromtimestamp(claims["exp"], UTC).isoformat()
    lifetime = describe(tokens.lifetime(role, hours))
    typer.echo(token)
    typer.echo(
        f"kezek token: jti {claims['jti']}, key {tokens.kid}, valid {lifetime} until {expires}",
        err=True,
    )


@token_app.command()
def revoke(
    token: Annotated[str, typer.Argument(help="The token's id (jti), or the token itself.")],
    note: Annotated[str, typer.Option(help="Why (for the record; no personal data).")] = "",
    database_url: DatabaseURL = None,
) -> None:
    """Revoke one token: every serving process on the store refuses it within 2 s."""
    from api.revocations import MAX_AGE_SECONDS
    from api.revocations import revoke as revoke_token
    from projections.database import ViewDatabase

    settings = settings_for(database_url)
    jti, until = token, None
    if token.count(".") == 2:  # a whole token: its id, and its expiry (the list keeps it so long)
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            jti = str(claims["jti"])
            until = float(claims["exp"]) + CLOCK_SKEW.total_seconds()
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            raise refused(" revoke", f"not a token with a jti: {error}") from None
    database = ViewDatabase(settings.database_url)
    try:
        kept = revoke_token(database, jti, until=until, note=note)
    finally:
        database.close()
    moment = datetime.fromtimestamp(kept, UTC).isoformat()
    typer.echo(
        f"revoked token {jti} (kept on the list until {moment}); refused everywhere within"
        f" {MAX_AGE_SECONDS:g} s"
    )


@token_app.command()
def retire(
    kid: Annotated[str, typer.Argument(help="The key's id (see `kezek token keys`).")],
    note: Annotated[str, typer.Option(help="Why (for the record).")] = "",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Retire even the key that signs (a leak): no token works until a new key signs.",
        ),
    ] = False,
    database_url: DatabaseURL = None,
) -> None:
    """Retire a key: every token it signed is refused within 2 s, for good."""
    from api.revocations import MAX_AGE_SECONDS
    from api.revocations import retire as retire_key
    from api.services import token_issuer
    from projections.database import ViewDatabase

    settings = settings_for(database_url)
    try:
        signing = token_issuer(settings).kid
    except KEY_ERRORS as error:
        raise refused(" retire", error) from None
    if kid == signing and not force:
        raise refused(
            " retire",
            f"{kid} is the key that signs: put a new key first in the ring before retiring it"
            " (or --force, for a leaked key); docs/security.md",
        )
    database = ViewDatabase(settings.database_url)
    try:
        retire_key(database, kid, note=note)
    finally:
        database.close()
    typer.echo(
        f"retired key {kid}: its tokens are refused everywhere within {MAX_AGE_SECONDS:g} s;"
        " remove it from the ring at the next restart"
    )


@token_app.command()
def keys(database_url: DatabaseURL = None) -> None:
    """List the ring's key ids (the one that signs first) and the keys retired."""
    from api.revocations import KID, create_table, revocations
    from api.services import token_issuer
    from projections.database import ViewDatabase

    settings = settings_for(database_url)
    try:
        ring = token_issuer(settings).key_ids
    except KEY_ERRORS as error:
        raise refused(" keys", error) from None
    database = ViewDatabase(settings.database_url)
    try:
        create_table(database)
        retired = {r.value: r for r in revocations(database) if r.kind == KID}
    finally:
        database.close()
    for n, kid in enumerate(ring):
        state = "retired" if kid in retired else "signs" if n == 0 else "accepted"
        typer.echo(f"{kid}  {state}")
    for kid, revocation in retired.items():
        if kid not in ring:
            typer.echo(f"{kid}  retired {revocation.revoked_at} (not in the ring)")
