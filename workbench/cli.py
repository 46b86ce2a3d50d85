"""The ``workbench`` command. Exit codes: 0 ok · 2 bad input · 3 a stage failed · 4 workspace locked."""
from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from .errors import EXIT_BAD_INPUT, WorkbenchError


def _param_value(raw: str):
    """Return a --param value as JSON when it parses (numbers, booleans, lists), else the string."""
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, ValueError):
        return raw


def parse_params(pairs: tuple[str, ...]) -> dict:
    """Return KEY=VALUE pairs as a dict; BadInput names a pair without '='."""
    from .errors import BadInput

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"--param {pair!r} is not KEY=VALUE (for example --param vendor=squid)")
        out[key.strip()] = _param_value(value)
    return out


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(package_name="workbench")
def main() -> None:
    """Notebook-first analyst workbench: pipelines over sensitive operational data."""


workspace_opt = click.option("--workspace", type=click.Path(file_okay=False), default=None,
                             help="Workspace directory (default: WORKBENCH_HOME, else current dir).")


@main.command()
def pipelines() -> None:
    """List pipelines, their stages and parameters."""
    from .pipelines.registry import all_pipelines

    for p in all_pipelines().values():
        click.echo(f"{p.name} {p.version}: {p.description}")
        click.echo("  stages: " + " → ".join(s.name for s in p.stages))
        for prm in p.param_help():
            desc = f"  {prm['description']}" if prm["description"] else ""
            click.echo(f"  --param {prm['name']}=<{prm['type']}> (default {prm['default']!r}){desc}")


@main.command()
@click.argument("pipeline")
@workspace_opt
@click.option("--input", "inputs", multiple=True, help="Input file or folder (repeatable).")
@click.option("--param", "params", multiple=True, help="Pipeline parameter KEY=VALUE (repeatable).")
@click.option("--model", default=None, help="llm model id, or a fallback chain 'a,b,offline'.")
@click.option("--fresh", is_flag=True, help="Start a new run instead of resuming the same one.")
@click.option("--quiet", is_flag=True, help="No progress output.")
def run(pipeline, workspace, inputs, params, model, fresh, quiet) -> None:
    """Run (or resume) PIPELINE and render its report."""
    from .runner import run_pipeline

    outcome = run_pipeline(pipeline, workspace=workspace, inputs=list(inputs),
                           params=parse_params(params), model=model, fresh=fresh, quiet=quiet)
    click.echo(str(outcome.index))
    if outcome.exit_code:
        click.echo(f"error: stage {outcome.failed_stage!r} failed: {outcome.error}", err=True)
    sys.exit(outcome.exit_code)


@main.command()
@workspace_opt
@click.option("--limit", default=50, show_default=True)
def runs(workspace, limit) -> None:
    """List runs, newest first."""
    from . import config
    from . import runs as runs_mod

    rows = runs_mod.list_runs(config.load(workspace), limit)
    if not rows:
        click.echo("no runs yet (try `workbench demo`)")
    for r in rows:
        click.echo(f"{r['run_id']}  {r['status']:<7} {r['pipeline']:<10} model={r['model']}  "
                   f"started {r['started']:%Y-%m-%d %H:%M:%S}")


@main.command()
@click.argument("run_id")
@workspace_opt
def show(run_id, workspace) -> None:
    """Show a run: contract hash, stages, ledger summary and where its report is."""
    from . import config, store
    from . import runs as runs_mod

    settings = config.load(workspace)
    run = runs_mod.get_run(settings, run_id)
    click.echo(f"run {run_id}  pipeline={run['pipeline']}  status={run['status']}  "
               f"model={run['model']}")
    click.echo(f"contract sha256 {run['contract_hash']}")
    for s in runs_mod.stages(settings, run_id):
        secs = f"{s['seconds']:.1f}s" if s["seconds"] is not None else "—"
        click.echo(f"  {s['position'] + 1}. {s['stage']:<12} {s['status']:<8} {secs:>8}  "
                   f"rows {s['rows_in']} → {s['rows_out']}" + (f"  error: {s['error']}" if s['error'] else ""))
    with store.connect(settings, read_only=True) as con:
        rows = con.execute("SELECT event, coalesce(status,''), count(*), sum(tokens_in), "
                           "sum(tokens_out), sum(usd) FROM ledger WHERE run_id = ? GROUP BY ALL "
                           "ORDER BY 1, 2", [run_id]).fetchall()
    for ev, st, n, tin, tout, usd in rows:
        click.echo(f"  ledger {ev}/{st}: {n} events, tokens {tin or 0}+{tout or 0}, usd {usd}")
    click.echo(f"report: {settings.run_dir(run['pipeline'], run_id) / 'index.html'}")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("pipeline")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write to.")
@click.pass_context
def samples(ctx, pipeline, out) -> None:
    """Write PIPELINE's sample inputs to --out (extra options such as --lines N pass through)."""
    from .errors import BadInput
    from .pipelines.registry import get

    p = get(pipeline)
    if not p.samples:
        raise BadInput(f"pipeline {pipeline!r} has no sample generator")
    options, args = {}, list(ctx.args)
    while args:
        flag = args.pop(0)
        if not flag.startswith("--") or not args:
            raise BadInput(f"sample option {flag!r} must be given as --name VALUE")
        options[flag[2:].replace("-", "_")] = _param_value(args.pop(0))
    Path(out).mkdir(parents=True, exist_ok=True)
    try:
        paths = p.samples(Path(out), **options)
    except TypeError as exc:
        raise BadInput(f"sample options for {pipeline!r}: {exc}") from None
    for path in paths:
        click.echo(str(path))


@main.command()
@workspace_opt
@click.option("--model", default=None, help="Model for every pipeline (default: offline).")
@click.option("--quiet", is_flag=True)
def demo(workspace, model, quiet) -> None:
    """Run every registered pipeline on its sample data, offline; reports go to reports/."""
    from .pipelines.registry import all_pipelines
    from .runner import run_pipeline

    worst = 0
    for name in all_pipelines():
        outcome = run_pipeline(name, workspace=workspace, model=model or "offline", quiet=quiet)
        click.echo(f"{name}: {outcome.status} → {outcome.index}")
        worst = max(worst, outcome.exit_code)
    sys.exit(worst)


@main.command()
@click.argument("pipeline")
@workspace_opt
@click.option("--every", type=click.Choice(["daily", "hourly"]), default="daily", show_default=True)
@click.option("--at", "at_time", default="02:00", show_default=True, help="HH:MM for daily runs.")
@click.option("--format", "fmt", type=click.Choice(["launchd", "cron", "both"]), default="both",
              show_default=True)
@click.option("--input", "inputs", multiple=True, help="Input file or folder for each run.")
@click.option("--param", "params", multiple=True)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the plist/cron files (default: <workspace>/schedule).")
def schedule(pipeline, workspace, every, at_time, fmt, inputs, params, out) -> None:
    """Write a launchd plist and/or a cron line that run PIPELINE headlessly, logging to a file."""
    from . import config
    from .pipelines.registry import get
    from .schedule import write_schedule

    get(pipeline)
    parse_params(params)
    settings = config.load(workspace)
    for path in write_schedule(pipeline, settings, every=every, at=at_time, fmt=fmt,
                               inputs=list(inputs), params=list(params),
                               out_dir=Path(out) if out else None):
        click.echo(str(path))


@main.command()
@workspace_opt
@click.option("--port", default=8888, show_default=True)
def lab(workspace, port) -> None:
    """Open JupyterLab on this workspace's notebooks."""
    from . import config
    from .runner import ensure_kernel

    settings = config.load(workspace)
    ensure_kernel()
    env = {**os.environ, "WORKBENCH_HOME": str(settings.workspace)}
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    cmd = [sys.executable, "-m", "jupyterlab", f"--port={port}", f"--notebook-dir={notebooks}"]
    click.echo("starting: " + shlex.join(cmd))
    os.execvpe(cmd[0], cmd, env)


@main.command()
@click.argument("pipeline")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@workspace_opt
def serve(pipeline, host, port, workspace) -> None:
    """Serve a pipeline's API (aml: the scoring API; trace_eval: trace ingestion)."""
    from .errors import BadInput

    if pipeline == "trace_eval":
        from .pipelines.trace_eval.service.api import serve as serve_traces

        return serve_traces(host, port, workspace)
    if pipeline != "aml":
        raise BadInput(f"no API for pipeline {pipeline!r}; available: aml, trace_eval")
    from .pipelines.aml.api import serve as serve_aml

    serve_aml(host, port)


@main.group()
def orgs() -> None:
    """Organizations of the trace_eval service and their API keys."""


@orgs.command("create")
@click.argument("name")
@workspace_opt
def orgs_create(name, workspace) -> None:
    """Create organization NAME; print its API key once (the last line)."""
    from . import config
    from .pipelines.trace_eval.service.store import create_org

    org, key = create_org(config.load(workspace), name)
    click.echo(f"organization {org.name}: key id {org.key_id} (only its hash is stored; "
               "this is the only time the key is shown)")
    click.echo(key)


@orgs.command("list")
@workspace_opt
def orgs_list(workspace) -> None:
    """List organizations and their key ids (active and revoked)."""
    from . import config
    from .pipelines.trace_eval.service.store import iso, list_orgs

    rows = list_orgs(config.load(workspace))
    if not rows:
        click.echo("no organizations yet (try `workbench orgs create NAME`)")
    for r in rows:
        state = f"revoked {iso(r.revoked_at)}" if r.revoked_at else "active"
        click.echo(f"{r.name:<24} {r.key_id}  created {iso(r.created_at)}  {state}")


@orgs.command("revoke")
@click.argument("name_or_key_id", metavar="NAME|KEY_ID")
@workspace_opt
def orgs_revoke(name_or_key_id, workspace) -> None:
    """Revoke an organization's active key(s), or one key by its id."""
    from . import config
    from .pipelines.trace_eval.service.store import revoke

    for r in revoke(config.load(workspace), name_or_key_id):
        click.echo(f"revoked {r.name} key {r.key_id}")


def _chat_options(f):
    f = click.option("--region", default=None, help="AWS region for CloudWatch (else AWS config).")(f)
    f = click.option("--model", default=None, help="llm model id (default: offline planner).")(f)
    f = click.option("--source", type=click.Choice(["local", "cloudwatch"]), default=None,
                     help="Where the logs are (default: local with --input, else CloudWatch).")(f)
    f = click.option("--input", "inputs", multiple=True,
                     help="Log file or folder (repeatable): each file is a log group.")(f)
    return workspace_opt(f)


@main.command()
@click.argument("question")
@_chat_options
@click.option("--json", "as_json", is_flag=True,
              help='Print {"answer", "tool_calls", "source", "masked"} as JSON.')
def ask(question, workspace, inputs, source, model, region, as_json) -> None:
    """Answer one QUESTION about the logs (or run a slash command such as /groups)."""
    from .pipelines.log_chat.cli import ask as run_ask

    sys.exit(run_ask(question, workspace=workspace, inputs=list(inputs), source=source,
                     model=model, region=region, as_json=as_json))


@main.command()
@_chat_options
@click.option("--port", default=2718, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--headless", is_flag=True, help="Do not open a browser.")
def chat(workspace, inputs, source, model, region, port, host, headless) -> None:
    """Open the log chat app (marimo) on local logs or CloudWatch."""
    from .pipelines.log_chat.cli import chat_app

    chat_app(workspace=workspace, inputs=list(inputs), source=source, model=model, region=region,
             host=host, port=port, headless=headless)


@main.group()
def notebooks() -> None:
    """Stage notebooks: sync their boilerplate from the pipeline, write new ones."""


@notebooks.command("sync")
@click.argument("pipeline_names", metavar="[PIPELINE]...", nargs=-1)
@click.option("--check", is_flag=True,
              help="Change nothing; exit 1 if a notebook is out of date with its pipeline.")
def notebooks_sync(pipeline_names, check) -> None:
    """Rewrite the parameters and open-stage cells of stage notebooks from their pipelines."""
    from .notebook_sync import SYNC_HINT, sync_pipeline
    from .pipelines.registry import all_pipelines, get

    chosen = [get(n) for n in pipeline_names] or list(all_pipelines().values())
    stale = []
    for p in chosen:
        for r in sync_pipeline(p, check=check):
            if r.changed:
                stale.append(r)
                verb = "out of date" if check else "synced"
                click.echo(f"{verb}: {r.path}  ({r.pipeline}.{r.stage})")
    if check and stale:
        names = " ".join(sorted({r.pipeline for r in stale}))
        click.echo(f"{len(stale)} stage notebook(s) out of date with their pipeline's Params; "
                   f"fix with: {SYNC_HINT.format(pipeline=names)}", err=True)
        sys.exit(1)
    if not stale:
        click.echo(f"{sum(len(p.stages) for p in chosen)} stage notebooks up to date")


@notebooks.command("new")
@click.argument("pipeline")
@click.argument("stage")
@click.option("--title", default="", help="Heading of the notebook (default: the stage name).")
def notebooks_new(pipeline, stage, title) -> None:
    """Write a new stage notebook skeleton for PIPELINE's STAGE."""
    from .notebook_sync import new_notebook
    from .pipelines.registry import get

    p = get(pipeline)
    path = new_notebook(p, stage, title)
    click.echo(str(path))
    if stage not in [s.name for s in p.stages]:
        click.echo(f"next: declare Stage({stage!r}, NB / {path.name!r}, <function>) in "
                   f"{pipeline}'s Pipeline", err=True)


@main.group()
def migration() -> None:
    """Migration pipeline tools: Domain Catalog deltas, quarantine, release and rollback."""


def _actor(text: str) -> dict:
    import getpass

    user, _, role = (text or "").partition(":")
    return {"user_id": user or getpass.getuser(), "role": role or "analyst"}


@migration.command("staged")
@workspace_opt
def migration_staged(workspace) -> None:
    """List the staged Domain Catalog deltas of the workspace (from the Domain Studio)."""
    from . import config
    from .pipelines.migration.domain_catalog import load_catalog, staged

    settings = config.load(workspace)
    items = staged(settings)
    click.echo(f"live catalog {load_catalog(settings).version}: {len(items)} staged delta(s)")
    for d in items:
        click.echo(f"  {d['domain']:<28} +aliases {d.get('aliases')} ({d.get('language')}) "
                   f"by {d['proposed_by'].get('user_id')} at {d.get('at')}")


@migration.command("promote-domains")
@workspace_opt
@click.option("--actor", default="", help="USER:ROLE promoting (default: you, as analyst)")
def migration_promote(workspace, actor) -> None:
    """Promote staged deltas to the live catalog: auto-tests, version bump, cache invalidation."""
    from . import config
    from .pipelines.migration.domain_catalog import promote

    summary = promote(config.load(workspace), _actor(actor))
    click.echo(f"promoted {summary['promoted']} delta(s): catalog {summary.get('from_version', '')}"
               f" -> {summary['version']}")
    for r in summary["rejected"]:
        click.echo(f"  kept staged: {r['domain']}: {r['problem']}")


def _fixed_mappings(settings, value: str) -> list[dict] | None:
    """Return fixed mapping rows from a run id or a mapping_plan.json / JSON list file."""
    import json

    from .errors import BadInput

    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data.get("mappings") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise BadInput(f"--mappings {path}: expected a mapping_plan.json or a JSON list")
        return rows
    from .pipelines.migration.migrate.locate import mapping_rows

    rows = mapping_rows(settings, value)
    if not rows:
        raise BadInput(f"--mappings {value}: neither a file nor a run with a mapping plan")
    return rows


@migration.command("quarantine")
@workspace_opt
@click.argument("run_id")
@click.option("--export", "export", type=click.Path(dir_okay=False), default=None,
              help="write the masked rows to FILE (.csv, .json, .jsonl or .parquet)")
@click.option("--limit", default=20, show_default=True, help="rows listed on the terminal")
def migration_quarantine(workspace, run_id, export, limit) -> None:
    """List (or export) RUN_ID's quarantined rows of the migrate stage, masked."""
    from . import config
    from .pipelines.migration.migrate import quarantine_rows

    df = quarantine_rows(config.load(workspace), run_id, export=export)
    by = df.group_by("target_table").len().sort("target_table").rows() if df.height else []
    click.echo(f"{df.height} quarantined row(s) in {run_id}"
               + (": " + ", ".join(f"{t} {n}" for t, n in by) if by else ""))
    for r in df.head(limit).iter_rows(named=True):
        click.echo(f"  {r['locator']:<22} {r['reason']:<30} {r['masked_preview'][:160]}")
    if df.height > limit:
        click.echo(f"  … {df.height - limit} more (--limit, or --export FILE)")
    if export:
        click.echo(f"exported: {export}")


@migration.command("release")
@workspace_opt
@click.argument("run_id")
@click.option("--rows", "rows", required=True,
              help="locators to release, comma-separated (TABLE:ROW), or 'all'")
@click.option("--actor", default="", help="USER:ROLE releasing (operator or above)")
@click.option("--target-url", default="", help="the run's target (default: from the run)")
@click.option("--mappings", default="",
              help="the fix: a later run id or a mapping_plan.json whose plans re-run the rows")
@click.option("--force", is_flag=True, help="promote the rows as they are (a person judged "
                                            "them right); rows without a key stay")
def migration_release(workspace, run_id, rows, actor, target_url, mappings, force) -> None:
    """Re-run RUN_ID's released quarantined rows into the final tables (RBAC, ledger)."""
    from . import config
    from .pipelines.migration.migrate import release

    settings = config.load(workspace)
    wanted = "all" if rows.strip() == "all" else [r.strip() for r in rows.split(",") if r.strip()]
    out = release(settings, run_id, wanted, _actor(actor), target_url=target_url or None,
                  mappings=_fixed_mappings(settings, mappings), force=force)
    click.echo(f"released {out['released']} row(s); still quarantined "
               f"{len(out['still_quarantined'])}")
    for loc in out["still_quarantined"][:20]:
        click.echo(f"  still quarantined: {loc}")


@migration.command("rollback")
@workspace_opt
@click.argument("run_id")
@click.option("--actor", default="", help="USER:ROLE rolling back (operator or above)")
@click.option("--target-url", default="", help="the run's target (default: from the run)")
def migration_rollback(workspace, run_id, actor, target_url) -> None:
    """Restore the tables RUN_ID promoted to their previous version (RBAC, ledger)."""
    from . import config
    from .pipelines.migration.migrate import rollback

    out = rollback(config.load(workspace), run_id, _actor(actor),
                   target_url=target_url or None)
    click.echo(f"rolled back {run_id}: " + ", ".join(
        f"{t} ({n} rows)" for t, n in (out["restored"] or {}).items()))


@main.group()
def aml() -> None:
    """AML pipeline tools."""


@aml.command("validate")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--out", type=click.Path(file_okay=False), default="reports/aml/validation",
              show_default=True)
def aml_validate(url, out) -> None:
    """Check a running scoring API end to end and write a validation report."""
    from .pipelines.aml.validate import validate

    code = validate(url, Path(out))
    click.echo(f"{'all checks passed' if code == 0 else 'checks FAILED'}: "
               f"{Path(out) / 'validation_report.md'}")
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    try:
        main()
    except WorkbenchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(getattr(exc, "exit_code", EXIT_BAD_INPUT))
