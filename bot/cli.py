"""The `carebot` command: the same steps `make run` takes, one at a time."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from bot.audit import AuditLog
from bot.settings import load_settings


@click.group()
@click.version_option(package_name="carebot")
def cli() -> None:
    """Bilingual assistant for families of children on a blinatumomab infusion.

    Paths and ports come from the environment: CAREBOT_DB, CAREBOT_MODELS, PORT, RASA_PORT,
    ACTIONS_PORT, CAREBOT_RATE_LIMIT, CAREBOT_REDIS_URL (see README).
    """


@cli.group()
def content() -> None:
    """Curated articles: YAML files in content/ <-> the SQLite content store."""


@content.command("import")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of article YAML files (default: content/articles).")
def content_import(folder: Path | None) -> None:
    """Load article files, and the red-flag lexicon next to them, into the store (idempotent:
    unchanged files add nothing). Every server reads the lexicon from there."""
    from bot.clinics import ClinicRegistry
    from bot.content.articles import ArticleError
    from bot.content.store import ContentStore
    from bot.redflags.lexicon import LexiconError, lexicon_from_text
    from bot.redflags.lexicon_store import store_lexicon
    from bot.storage import display_url, open_database

    settings = load_settings()
    lexicon_file = (folder.parent if folder else settings.content_dir) / "redflags.yml"
    lexicon = lexicon_file.read_text(encoding="utf-8") if lexicon_file.is_file() else None
    try:
        if lexicon is not None:
            lexicon_from_text(lexicon)  # refused before anything is stored
    except LexiconError as exc:
        raise click.ClickException(f"{lexicon_file}: {exc} (nothing imported)") from None
    db = open_database(settings.database_url)
    try:
        report = ContentStore(db).import_folder(folder or settings.content_dir / "articles")
    except ArticleError as exc:
        raise click.ClickException(str(exc)) from None
    ClinicRegistry(db).seed_demo()
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged -> {display_url(settings.database_url)}")
    if lexicon is None:
        click.echo(f"lexicon: no {lexicon_file}, the stored one is kept")
    else:
        click.echo(f"lexicon: {'stored' if store_lexicon(db, lexicon) else 'unchanged'} ({lexicon_file})")


@content.command("export")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the YAML files (default: content/articles).")
def content_export(folder: Path | None) -> None:
    """Write the latest version of every article from the store back to YAML."""
    from bot.content.store import ContentStore
    from bot.storage import open_database

    settings = load_settings()
    written = ContentStore(open_database(settings.database_url)).export_folder(folder or settings.content_dir / "articles")
    click.echo(f"{len(written)} articles written")


@content.command("check")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Check review dates as of this day (YYYY-MM-DD) instead of today.")
def content_check(folder: Path | None, on: dt.datetime | None) -> None:
    """Lint the article files; exits 1 when there are errors."""
    from bot.content.check import check_folder, check_lexicon

    content_dir = load_settings().content_dir
    problems = check_folder(folder or content_dir / "articles", on.date() if on else None)
    problems += check_lexicon(content_dir / "redflags.yml")
    if not problems:
        click.echo("content check: no problems")
        return
    width = max(len(p.article) for p in problems)
    for p in problems:
        click.echo(f"{p.level:<8} {p.article:<{width}}  {p.message}")
    errors = sum(p.level == "error" for p in problems)
    click.echo(f"{errors} errors, {len(problems) - errors} warnings")
    if errors:
        sys.exit(1)


@cli.group()
def clinic() -> None:
    """Clinic settings: numbers, hours, allowed origins, alert targets."""


@clinic.command("set")
@click.argument("settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def clinic_set(settings_file: Path) -> None:
    """Create or replace a clinic from a YAML file (see bot/demo_clinic.yml)."""
    import yaml

    from bot.clinics import ClinicError, ClinicRegistry
    from bot.storage import open_database

    registry = ClinicRegistry(open_database(load_settings().database_url))
    try:
        saved = registry.save(yaml.safe_load(settings_file.read_text(encoding="utf-8")))
    except (ClinicError, yaml.YAMLError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"saved clinic {saved['id']}")


@clinic.command("token")
@click.argument("clinic_id")
def clinic_token(clinic_id: str) -> None:
    """Issue a new care-team API token for CLINIC_ID (shown once; the old one stops working)."""
    import secrets

    from bot.clinics import ClinicRegistry, token_hash
    from bot.storage import open_database

    registry = ClinicRegistry(open_database(load_settings().database_url))
    settings = registry.get(clinic_id)
    if settings is None:
        raise click.ClickException(f"no clinic {clinic_id!r}")
    token = secrets.token_urlsafe(32)
    registry.save({**settings, "alerts": {**(settings.get("alerts") or {}), "ack_token_sha256": token_hash(token)}})
    click.echo(token)


@cli.group()
def users() -> None:
    """Console accounts (nurses): there are no default accounts or passwords."""


def _accounts():
    from bot.console.accounts import Accounts
    from bot.console.sessions import Sessions
    from bot.storage import open_database

    db = open_database(load_settings().database_url)
    return Accounts(db), Sessions(db)


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("username")
@click.option("--clinic", default="demo", show_default=True, help="The clinic whose console this is.")
@click.option("--role", type=click.Choice(["editor", "reviewer", "admin"]), required=True,
              help="editor writes; reviewer also approves others' changes; admin also manages settings.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (scripts).")
def users_add(username: str, clinic: str, role: str, password_stdin: bool) -> None:
    """Create a console account for USERNAME."""
    from bot.clinics import ClinicRegistry
    from bot.console.accounts import AccountError

    accounts, _ = _accounts()
    if ClinicRegistry(accounts.db).get(clinic) is None:
        raise click.ClickException(f"no clinic {clinic!r} (run `carebot content import` for the demo clinic)")
    try:
        user = accounts.add(username, clinic, role, _new_password(password_stdin))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    AuditLog(accounts.db).log("command line", "user added", user.username, {"role": user.role, "clinic": user.clinic})
    click.echo(f"added {user.role} {user.username} for clinic {user.clinic}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (scripts).")
def users_passwd(username: str, password_stdin: bool) -> None:
    """Set a new password for USERNAME (re-enables a disabled account; logs out everywhere)."""
    from bot.console.accounts import AccountError

    accounts, sessions = _accounts()
    try:
        accounts.set_password(username, _new_password(password_stdin))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    sessions.end_all(accounts.get(username).id)
    AuditLog(accounts.db).log("command line", "password changed", username)
    click.echo(f"password changed for {username}")


@users.command("disable")
@click.argument("username")
def users_disable(username: str) -> None:
    """Stop USERNAME from logging in, and end their open sessions."""
    from bot.console.accounts import AccountError

    accounts, sessions = _accounts()
    user = accounts.get(username)
    try:
        accounts.disable(username)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    if user:
        sessions.end_all(user.id)
    AuditLog(accounts.db).log("command line", "user disabled", username)
    click.echo(f"disabled {username}")


@users.command("list")
def users_list() -> None:
    """Every console account with its clinic and role."""
    accounts, _ = _accounts()
    for row in accounts.all():
        state = "disabled" if row["disabled"] else "active"
        click.echo(f"{row['username']:<20} {row['clinic']:<12} {row['role']:<9} {state}")


@cli.command()
@click.option("--force", is_flag=True,
              help="Retrain even if the deployed model matches the content (after NLU code changes).")
def train(force: bool) -> None:
    """Train if the example questions changed, then deploy only if the safety gate passes.

    The gate runs the red-flag suite and the dev set on the new model and compares them with the
    deployed model's figures; a refused model goes to models/rejected/ and the command exits 1.
    A running assistant serves the new model from its next start (the console's Model page
    loads it without a restart).
    """
    import os

    from bot.training.data import content_fingerprint
    from bot.training.deployed import read_deployed
    from bot.training.jobs import JobBusy, RetrainJobs
    from bot.training.retrain import readable, run_job
    from bot.storage import open_database

    settings = load_settings()
    deployed = read_deployed(settings)
    if deployed and deployed.fingerprint == content_fingerprint(settings) and not force:
        click.echo(f"model is current: {deployed.path(settings)}")
        return
    try:
        jobs = RetrainJobs(open_database(settings.database_url))  # recorded for the console
        job = jobs.begin("carebot train", os.getpid())
        result = run_job(settings, jobs, job, "carebot train", None, force, click.echo)
    except JobBusy as exc:
        raise click.ClickException(f"a retrain is already running (job {exc.job_id}): wait for it") from None
    except Exception as exc:  # noqa: BLE001 - one readable line; the job row has it too
        raise click.ClickException(f"retrain failed: {readable(exc)}") from None
    if result.figures is not None:
        click.echo(f"new model:  {result.figures.summary()}")
    if result.baseline is not None:
        click.echo(f"deployed:   {result.baseline.summary()}")
    if result.outcome == "rejected":
        for reason in result.verdict.reasons if result.verdict else ():
            click.echo(f"refused: {reason.message.format(**reason.values)}")
        click.echo(f"the deployed model keeps serving; the refused one is in {result.model}")
        sys.exit(1)
    click.echo(f"deployed: {result.model}" if result.outcome == "done" else f"model is current: {result.model}")


@cli.command()
def run() -> None:
    """Start the gateway, the Rasa server and the action server (trains first if needed).

    Serves the deployed model (see `carebot train`); on a fresh clone, trains and deploys one.
    """
    import os

    from bot.clinics import ClinicRegistry
    from bot.storage import open_database
    from bot.rasa_tracker import create_rasa_tables
    from bot.training.deployed import model_to_serve

    settings = load_settings()
    check_servers(settings)
    if settings.redis_url:
        check_redis(settings.redis_url)
    ClinicRegistry(open_database(settings.database_url)).seed_demo()
    create_rasa_tables(settings.database_url)
    model, stale = model_to_serve(settings)
    if stale:
        click.echo("carebot  | example questions changed since the last training: retrain from the "
                   "console (Model page) or run `carebot train`")
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "bot.runner", str(model)])


def check_servers(settings) -> None:
    """Several Rasa servers share conversations only through PostgreSQL (Rasa's tracker store)
    and Redis (Rasa's lock store, the gateways' rate limits): refuse to start without them."""
    from bot.settings import MAX_RASA_SERVERS

    if not 1 <= settings.rasa_servers <= MAX_RASA_SERVERS:
        raise click.ClickException(f"RASA_SERVERS must be a whole number from 1 to {MAX_RASA_SERVERS}")
    ports = [settings.port, *(settings.rasa_port + i for i in range(settings.rasa_servers)),
             *(settings.actions_port + i for i in range(settings.rasa_servers))]
    if len(set(ports)) < len(ports):
        raise click.ClickException(
            f"PORT, RASA_PORT … RASA_PORT+{settings.rasa_servers - 1} and ACTIONS_PORT … "
            f"ACTIONS_PORT+{settings.rasa_servers - 1} must not overlap")
    if settings.rasa_servers > 1 and not (settings.database_url.startswith("postgresql") and settings.redis_url):
        raise click.ClickException(
            "RASA_SERVERS > 1 needs CAREBOT_DATABASE_URL=postgresql://… and CAREBOT_REDIS_URL=redis://…: "
            "several Rasa servers must share one tracker store and one lock store")


def check_redis(url: str) -> None:
    """Stop at once on a CAREBOT_REDIS_URL that cannot work; warn if that Redis is down (Rasa's
    conversation locks need it, while the gateway's rate limits do without)."""
    from bot.redis_url import RedisUrlError, parse_redis_url

    try:
        redis = parse_redis_url(url)
    except RedisUrlError as exc:
        raise click.ClickException(str(exc)) from None
    problem = redis.unreachable()
    if problem:
        click.echo(f"carebot  | warning: Redis at {redis} does not answer ({problem}); Rasa cannot "
                   f"take a conversation's lock until it does")


if __name__ == "__main__":
    cli()
