"""Log chat: ask questions about local or CloudWatch logs (`workbench chat`)."""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="workbench · log chat")


@app.cell
def _():
    import json
    import os
    import queue
    import tempfile
    import threading

    import marimo as mo

    from workbench.pipelines.log_chat.cli import ENV, footer, open_session
    from workbench.pipelines.log_chat.samples import write_samples

    opts = json.loads(os.environ.get(ENV) or "{}")
    if not opts.get("inputs") and opts.get("source") != "cloudwatch":
        # opened on its own (marimo edit, tests): the built-in sample logs
        sample_dir = tempfile.mkdtemp(prefix="workbench-log-chat-")
        write_samples(sample_dir)
        opts = {**opts, "inputs": [sample_dir],
                "workspace": opts.get("workspace") or sample_dir}
    session = open_session(**opts)
    return footer, mo, opts, queue, session, threading


@app.cell
def _(mo, opts, session):
    _now = session.tools.now().strftime("%Y-%m-%d %H:%M UTC")
    _model = session.model if session.model != "offline" else "offline planner (no model)"
    mo.md(f"""
    # Log chat
    **Source:** {session.tools.source.kind} · {len(session.groups())} log groups ·
    **answers:** {_model} · times are relative to **{_now}** ·
    PII masking **{"on" if session.mask else "OFF"}**

    Ask in plain words, or type `/help`. Every tool result is masked before anyone sees it.
    """)
    return


@app.cell
def _(footer, mo, queue, session, threading):
    def answer(messages, config):
        """Stream the session's answer to the last message, then what was called and masked."""
        chunks = queue.Queue()
        box = {}

        def work():
            try:
                box["answer"] = session.ask(messages[-1].content, on_text=chunks.put)
            except Exception as exc:  # noqa: BLE001 - shown to the user, the app stays up
                box["error"] = exc
            finally:
                chunks.put(None)

        threading.Thread(target=work, daemon=True).start()
        streamed = []
        while (chunk := chunks.get()) is not None:
            streamed.append(chunk)
            yield chunk
        if "error" in box:
            yield f"error: {type(box['error']).__name__}: {box['error']}"
            return
        a = box["answer"]
        text = a.text if "".join(streamed).strip() != a.text.strip() else ""
        yield ("\n\n" if streamed and text else "") + text
        yield "\n\n<small>" + footer(a, session).lstrip("— ") + "</small>"

    chat = mo.ui.chat(answer, prompts=["/help", "/groups", "What went wrong in the last hour?",
                                       "/summary {{log group}} 2h"])
    chat
    return (chat,)


@app.cell
def _(chat, mo, session):
    _n = len(chat.value)
    mo.md(f"**{_n // 2} question(s)** · tokens {session.tokens:,} · cost ${session.usd:.4f} · "
          f"cached tool results are reused for their TTL (`/cache status`)")
    return


if __name__ == "__main__":
    app.run()
