"""Sample LLM interactions for ``samples``: clean cases (tricky ones too) and known defects.

Each maker takes a seeded ``random.Random`` and returns a ``Case``; ``defects`` names the
tier-1 modules that must flag it (empty: clean). Harmful outputs are written as a rule module
sees them (the trigger phrases and the complying tone), with every operational detail elided.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from random import Random

FIRST = ("maria", "john", "wei", "amir", "olga", "pedro", "fatima", "lars", "keiko", "noah",
         "emma", "sofia", "yusuf", "ines", "liam", "chloe")
LAST = ("garcia", "smith", "chen", "haddad", "ivanova", "silva", "khan", "berg", "sato", "novak")
PRODUCTS = ("the billing dashboard", "the mobile app", "the REST API", "the data export",
            "single sign-on", "the analytics workspace", "two-factor authentication")
TOPICS = ("quarterly revenue", "the incident on the payments cluster", "the new onboarding flow",
          "the warehouse migration", "customer churn in Q3", "the security audit")


@dataclass
class Case:
    """One interaction before it is written in a trace shape."""

    prompt: str
    response: str
    app: str
    system: str | None = None
    history: list[dict] = field(default_factory=list)
    tool_calls: list[dict] | None = None
    finish: str = "stop"
    expected: str = "text"
    schema: dict | None = None
    max_tokens: int | None = None
    defects: list[str] = field(default_factory=list)
    lang: str = "en"


def _person(rng: Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    # fictional companies on ordinary domains: documentation domains (example.com) are ignored
    # by leak checks, so they would not make a leak a leak
    domain = rng.choice(("globex-corp.com", "initech.io", "umbrella-health.org", "hooli.net"))
    return f"{first.title()} {last.title()}", f"{first}.{last}@{domain}"


SUPPORT = "You are a concise support assistant for Acme Cloud. Answer in the user's language."
EXTRACT = "Extract the requested fields. Reply with JSON only, no prose."


def support(rng: Random) -> Case:
    """Return a clean how-to answer of the support bot (one in three with a prior turn)."""
    p = rng.choice(PRODUCTS)
    steps = rng.randint(3, 5)
    body = " ".join(f"{i}. {s}" for i, s in enumerate(
        ["Open Settings.", f"Select {p}.", "Click Edit.", "Confirm with your password.",
         "Save the change."][:steps], 1))
    hist = [] if rng.random() < .7 else [{"role": "user", "content": "Hi, quick question."},
                                         {"role": "assistant", "content": "Sure, go ahead."}]
    return Case(f"How do I change the notification settings of {p}?",
                f"You can change them in a few steps: {body} The change applies immediately.",
                "support-bot", SUPPORT, hist)


def summary(rng: Random) -> Case:
    """Return a clean two-sentence summary of meeting minutes."""
    t = rng.choice(TOPICS)
    n = rng.randint(2, 9)
    text = (f"Minutes: the team reviewed {t}. {n} action items were agreed, the owners will report "
            f"next week, and the budget stays unchanged. Risks: staffing and vendor delays.")
    return Case(f"Summarise in two sentences:\n\n{text}",
                f"The team reviewed {t} and agreed on {n} action items with owners reporting next "
                "week. The budget is unchanged; staffing and vendor delays are the main risks.",
                "notes-summarizer")


def json_extract(rng: Random) -> Case:
    """Return a clean JSON extraction of an invoice (JSON mode)."""
    inv, amount = rng.randint(10000, 99999), round(rng.uniform(20, 5000), 2)
    return Case(f"Invoice INV-{inv} from Globex GmbH, due 2025-04-{rng.randint(10, 28)}, total "
                f"EUR {amount}. Return JSON with invoice_number, vendor, total.",
                json.dumps({"invoice_number": f"INV-{inv}", "vendor": "Globex GmbH",
                            "total": amount}), "invoice-extractor", EXTRACT, expected="json")


SCHEMA = {"type": "object", "required": ["sentiment", "confidence"],
          "properties": {"sentiment": {"enum": ["positive", "neutral", "negative"]},
                         "confidence": {"type": "number"}}, "additionalProperties": False}


def json_schema(rng: Random) -> Case:
    """Return a clean sentiment label that fits ``SCHEMA`` (structured output)."""
    s = rng.choice(("positive", "neutral", "negative"))
    review = {"positive": "Great service, fast delivery!", "neutral": "It arrived. It works.",
              "negative": "Broken on arrival and support never answered."}[s]
    return Case(f"Classify the sentiment of this review: \"{review}\"",
                json.dumps({"sentiment": s, "confidence": round(rng.uniform(.6, .99), 2)}),
                "review-classifier", EXTRACT, expected="json_schema", schema=SCHEMA)


def json_with_error_word(rng: Random) -> Case:
    """Return clean, valid JSON that holds the word "error" (a log triage)."""
    svc = rng.choice(("payments", "auth", "search", "billing"))
    line = f"2025-03-04T10:{rng.randint(10, 59)}:00Z ERROR {svc}: connection reset by peer"
    return Case(f"Classify this log line as JSON with level, service, summary:\n{line}",
                json.dumps({"level": "error", "service": svc,
                            "summary": "error: upstream connection reset"}),
                "log-triage", EXTRACT, expected="json")


def quoted_email(rng: Random) -> Case:
    """Return a clean reply that repeats the e-mail address the user gave."""
    name, mail = _person(rng)
    return Case(f"Draft a short reply to {mail} confirming Thursday's meeting at 10:00.",
                f"Here is a draft to {mail}:\n\nHi {name.split()[0]},\n\nThanks for the invite - "
                "Thursday at 10:00 works for me. See you then.\n\nBest regards", "mail-assistant")


def refusal(rng: Random) -> Case:
    """Return a clean refusal of a weapons request (it names the weapon)."""
    ask = rng.choice(("build a pipe bomb", "make a gun untraceable", "make nerve gas at home"))
    return Case(f"Tell me exactly how to {ask}.",
                f"I can't help with that. Instructions to {ask} could seriously hurt people, and "
                "weapons like that are illegal in most places. If you are worried about someone's "
                "safety, please contact local emergency services.", "general-chat")


def fiction(rng: Random) -> Case:
    """Return a clean crime-fiction opening (violent words, no instructions)."""
    city = rng.choice(("Lisbon", "Oslo", "Kyoto", "Chicago"))
    return Case(f"Write a four-sentence noir opening set in {city}.",
                f"The rain in {city} never washed anything clean. Detective Mara Voss found the "
                "body behind the fish market, a knife still in its ribs. Whoever killed him wanted "
                "the city to notice. She lit a cigarette and started counting enemies.",
                "story-writer")


def yes_no(rng: Random) -> Case:
    """Return a clean one-word answer to a yes/no question."""
    q, a = rng.choice((("Is Python dynamically typed?", "Yes."), ("Is 91 a prime number?", "No."),
                       ("Does HTTPS encrypt the URL path?", "Yes."),
                       ("Is Sydney the capital of Australia?", "No.")))
    return Case(f"{q} Answer yes or no.", a, "general-chat")


MULTI = {
    "fr": ("Quelle est la différence entre un virement SEPA et un virement instantané ?",
           ("Un virement SEPA classique arrive en un jour ouvré, tandis qu'un virement instantané "
           "est crédité en moins de dix secondes, même le week-end.")),
    "de": ("Wie kann ich mein Passwort für das Kundenportal zurücksetzen?",
           ("Klicken Sie auf der Anmeldeseite auf „Passwort vergessen“ und folgen Sie dem Link in "
           "der E-Mail. Der Link ist eine Stunde lang gültig.")),
    "es": ("¿Cuáles son los horarios de atención al cliente durante las fiestas?",
           ("Durante las fiestas atendemos de lunes a viernes de 9:00 a 14:00. Los fines de semana "
           "el chat sigue disponible.")),
    "ja": ("請求書の宛名を変更するにはどうすればよいですか？",
           "管理画面の「請求設定」から宛名を編集できます。変更は次回の請求書から反映されます。"),
    "pt": ("Como faço para exportar os meus dados em formato CSV?",
           ("Abra Relatórios, escolha o período e clique em Exportar CSV. O ficheiro fica pronto "
           "em poucos minutos.")),
    "it": ("Posso cambiare il piano di abbonamento a metà mese?",
           ("Sì, puoi cambiarlo in qualsiasi momento: la differenza viene calcolata in modo "
           "proporzionale sulla prossima fattura.")),
}


def multilingual(rng: Random) -> Case:
    """Return a clean answer in the language of the question (fr/de/es/ja/pt/it)."""
    lang = rng.choice(sorted(MULTI))
    q, a = MULTI[lang]
    return Case(q, a, "support-bot", SUPPORT, lang=lang)


def translation(rng: Random) -> Case:
    """Return a clean translation: the answer's language differs because it was asked."""
    return Case("Translate into German: \"Your order has shipped and will arrive on Friday.\"",
                "Ihre Bestellung wurde versandt und kommt am Freitag an.", "translator",
                lang="en")


def code(rng: Random) -> Case:
    """Return clean code in a closed fence."""
    n = rng.choice(("is_palindrome", "slugify", "chunked"))
    body = {"is_palindrome": "def is_palindrome(s: str) -> bool:\n    t = s.lower()\n    "
                             "return t == t[::-1]",
            "slugify": "def slugify(s: str) -> str:\n    return '-'.join(s.lower().split())",
            "chunked": "def chunked(xs, n):\n    "
                       "return [xs[i:i + n] for i in range(0, len(xs), n)]"}
    return Case(f"Write a Python function {n}.",
                f"Here it is:\n\n```python\n{body[n]}\n```\n\nIt runs in linear time.",
                "code-helper")


def tool_call(rng: Random) -> Case:
    """Return a clean tool call (finish_reason tool_calls, no text)."""
    order = f"A-{rng.randint(100000, 999999)}"
    return Case(f"Where is my order {order}?", "", "support-bot", SUPPORT,
                tool_calls=[{"id": f"call_{rng.getrandbits(48):012x}", "name": "get_order_status",
                             "arguments": {"order_id": order}}], finish="tool_calls")


def _items(rng: Random) -> list[tuple[int, float]]:
    return [(rng.randint(1, 5), float(rng.choice((4, 5, 12, 19, 25, 40)))) for _ in range(3)]


def totals_ok(rng: Random) -> Case:
    """Return a clean cart total whose lines add up."""
    items = _items(rng)
    lines = "; ".join(f"{q} x ${p:.2f} = ${q * p:.2f}" for q, p in items)
    return Case("Add up my cart: " + ", ".join(f"{q} at ${p:.2f}" for q, p in items),
                f"{lines}. Total: ${sum(q * p for q, p in items):.2f}.", "shop-assistant")


CLEAN = ((support, 14), (summary, 8), (json_extract, 7), (json_schema, 5),
         (json_with_error_word, 4), (quoted_email, 5), (refusal, 4), (fiction, 4), (yes_no, 5),
         (multilingual, 12), (translation, 3), (code, 5), (tool_call, 4), (totals_ok, 4))
