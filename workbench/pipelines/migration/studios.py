"""The Domain Studio and the Mapping Studio: ipywidgets in the stage notebooks.

Each studio lists this run's rows and records what a person decides through
``decisions.record`` (RBAC-checked, written to the workspace's decisions file and the ledger
with the actor); the next run — in JupyterLab or headless — applies them. The buttons call the
same methods a script can call (``approve``, ``mark_unknown``, ``set_domain``, ``add_alias``;
``accept``, ``hold``, ``fix``), so what a click does is testable without a browser.
"""
from __future__ import annotations

import html
import json

from . import decisions
from .contract import actor_of
from .domain_catalog import load_catalog, stage_delta
from .stages import domains_frame, mappings_frame

BAND_COLOURS = {"high": "#1a7f37", "borderline": "#9a6700", "low": "#cf222e",
                "accept": "#1a7f37", "hold": "#9a6700", "fix": "#cf222e"}


def pill(text: str) -> str:
    """Return an HTML pill for a band or decision."""
    colour = BAND_COLOURS.get(text, "#57606a")
    return (f'<span style="background:{colour};color:white;border-radius:8px;'
            f'padding:1px 8px;font-size:85%">{html.escape(text)}</span>')


class DomainStudio:
    """Review the domain of every source column: approve, mark unknown, set, add an alias."""

    def __init__(self, ctx, bands: tuple[str, ...] = ("borderline", "low", "high")):
        self.ctx = ctx
        self.rows = [r for r in domains_frame(ctx).iter_rows(named=True) if r["band"] in bands]
        self.catalog = load_catalog(ctx.settings)
        self.log: list[dict] = []

    def _key(self, row: dict) -> str:
        return f"{row['source_table']}.{row['source_column']}"

    def approve(self, key: str) -> dict:
        """Record that the proposed domain of ``key`` (table.column) is right."""
        return self._record(key, "approve", domain=self._row(key)["domain"] or
                            json.loads(self._row(key)["evidence"])["alternatives"][0]["domain"])

    def mark_unknown(self, key: str) -> dict:
        """Record that ``key`` has no domain of the catalog."""
        return self._record(key, "unknown")

    def set_domain(self, key: str, domain: str) -> dict:
        """Record the right domain of ``key``."""
        self.catalog.get(domain)
        return self._record(key, "set", domain=domain)

    def add_alias(self, key: str, alias: str, domain: str | None = None,
                  language: str = "en") -> dict:
        """Stage ``alias`` (by default the column's header) for the column's domain."""
        row = self._row(key)
        dom = domain or row["domain"] or json.loads(row["evidence"])["alternatives"][0]["domain"]
        delta = stage_delta(self.ctx.settings, domain=dom, actor=actor_of(self.ctx.params),
                            aliases=[alias], language=language,
                            reason=f"from {key} in run {self.ctx.run_id}")
        self.ctx.ledger("domain_delta_staged", decision="hold",
                        detail={"domain": dom, "language": language, "key": key,
                                "actor": actor_of(self.ctx.params)})
        self.log.append({"key": key, "action": "alias", "domain": dom})
        return delta

    def _row(self, key: str) -> dict:
        for r in self.rows:
            if self._key(r) == key:
                return r
        raise KeyError(f"{key} is not a column of this studio")

    def _record(self, key: str, action: str, **extra) -> dict:
        self._row(key)
        d = decisions.record(self.ctx, "domain", key, action, **extra)
        self.log.append({"key": key, "action": action, **extra})
        return d

    def widget(self):
        """Return the studio as an ipywidgets box."""
        import ipywidgets as w

        out = w.Output()
        boxes = [w.HTML("<b>Domain Studio</b> — decisions go to the decisions file and the "
                        "ledger; rerun the pipeline to apply them")]
        ids = self.catalog.ids
        for r in self.rows:
            key = self._key(r)
            ev = json.loads(r["evidence"])
            current = r["domain"] or ev["alternatives"][0]["domain"]
            label = w.HTML(f"<code>{html.escape(key)}</code> {pill(r['band'])} "
                           f"{r['score']:.2f}", layout=w.Layout(width="34%"))
            choice = w.Dropdown(options=ids, value=current if current in ids else ids[0],
                                layout=w.Layout(width="22%"))
            approve, unknown = w.Button(description="Approve"), w.Button(description="Unknown")
            alias = w.Text(placeholder="new alias", layout=w.Layout(width="14%"))
            add = w.Button(description="Add alias")

            def on_approve(_, key=key, choice=choice, current=current):
                with out:
                    (self.approve(key) if choice.value == current
                     else self.set_domain(key, choice.value))
                    print(f"{key}: {choice.value} recorded")

            def on_unknown(_, key=key):
                with out:
                    self.mark_unknown(key)
                    print(f"{key}: unknown recorded")

            def on_alias(_, key=key, alias=alias, choice=choice):
                with out:
                    self.add_alias(key, alias.value or key.split(".", 1)[1], choice.value)
                    print(f"{key}: alias staged for {choice.value}")

            approve.on_click(on_approve)
            unknown.on_click(on_unknown)
            add.on_click(on_alias)
            boxes.append(w.HBox([label, choice, approve, unknown, alias, add]))
        return w.VBox([*boxes, out])


class MappingStudio:
    """Review every target column's plan: accept, hold, or fix (optionally with a new plan)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.rows = list(mappings_frame(ctx).iter_rows(named=True))
        plan = ctx.artifact("mapping_plan.json")
        self.previews = {}
        if plan.is_file():
            for m in json.loads(plan.read_text())["mappings"]:
                self.previews[f"{m['target_table']}.{m['target_column']}"] = m.get("preview", [])
        self.log: list[dict] = []

    def _key(self, row: dict) -> str:
        return f"{row['target_table']}.{row['target_column']}"

    def _record(self, key: str, action: str, **extra) -> dict:
        if not any(self._key(r) == key for r in self.rows):
            raise KeyError(f"{key} is not a target column of this run")
        d = decisions.record(self.ctx, "mapping", key, action, **extra)
        self.log.append({"key": key, "action": action})
        return d

    def accept(self, key: str, reason: str = "") -> dict:
        """Record that the plan of target column ``key`` is accepted."""
        return self._record(key, "accept", reason=reason)

    def hold(self, key: str, reason: str = "") -> dict:
        """Record that the plan of ``key`` waits."""
        return self._record(key, "hold", reason=reason)

    def fix(self, key: str, dsl: dict | None = None, reason: str = "") -> dict:
        """Record that ``key`` needs a fix, or fix it with a replacement plan (then accepted)."""
        return self._record(key, "fix", dsl=dsl,
                            reason=reason or ("replacement plan" if dsl else "needs a fix"))

    def detail_html(self, key: str) -> str:
        """Return the SQL, Polars and masked preview of one mapping as HTML."""
        r = next(r for r in self.rows if self._key(r) == key)
        prev = "".join(f"<tr><td>{html.escape(json.dumps(p['before'], ensure_ascii=False))}"
                       f"</td><td>{html.escape(str(p['after']))}</td></tr>"
                       for p in self.previews.get(key, []))
        return (f"<b>{html.escape(key)}</b> {pill(r['decision'])} {html.escape(r['strategy'])}"
                f"<br><small>{html.escape(r['rationale'])}</small>"
                f"<pre>SQL: {html.escape(r['sql'] or '-')}</pre>"
                f"<pre>Polars: {html.escape(r['polars'] or '-')}</pre>"
                + (f"<table><tr><th>before (masked)</th><th>after (masked)</th></tr>{prev}"
                   f"</table>" if prev else ""))

    def widget(self):
        """Return the studio as an ipywidgets box."""
        import ipywidgets as w

        from ...errors import DslReject

        out, detail = w.Output(), w.HTML()
        boxes = [w.HTML("<b>Mapping Studio</b> — accept / hold / fix; a fix may carry a new "
                        "DSL plan (validated before it is recorded)")]
        for r in self.rows:
            key = self._key(r)
            label = w.HTML(f"<code>{html.escape(key)}</code> {pill(r['decision'])} "
                           f"{r['confidence']:.2f}", layout=w.Layout(width="34%"))
            buttons = [w.Button(description=a.title()) for a in ("accept", "hold", "fix")]
            show = w.Button(description="Show")
            plan = w.Textarea(value=r["dsl"] or "", layout=w.Layout(width="30%", height="32px"))

            def on(action, key=key, plan=plan, r=r):
                def handler(_):
                    with out:
                        try:
                            new = json.loads(plan.value) if action == "fix" and plan.value and \
                                plan.value != (r["dsl"] or "") else None
                            (self.fix(key, new) if action == "fix" else
                             getattr(self, action)(key))
                            print(f"{key}: {action} recorded")
                        except (DslReject, json.JSONDecodeError) as exc:
                            print(f"{key}: not recorded: {exc}")
                return handler

            for b, a in zip(buttons, ("accept", "hold", "fix"), strict=True):
                b.on_click(on(a))
            show.on_click(lambda _, key=key: setattr(detail, "value", self.detail_html(key)))
            boxes.append(w.HBox([label, *buttons, show, plan]))
        return w.VBox([*boxes, detail, out])
