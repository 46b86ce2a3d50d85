"""The fast detector: compiled patterns, checksums and context rules, no NLP pipeline needed.

``scan(text)`` returns non-overlapping findings. Every rule needs a cheap anchor that
``TRIGGER`` (also usable by Polars, no look-arounds) finds first, so most texts cost one search.
"""
from __future__ import annotations

import csv
import re
from urllib.parse import unquote_plus

from . import ids, places
from . import validators as v
from .findings import Finding
from .keys import ID_DOC_KEYS, key_entity, normalize
from .names import (
    COMMON_WORDS,
    FIRST_NAMES,
    LAST_NAMES,
    NOT_FIRST,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_PHRASES,
)
from .names import words as _words
from .trie import trie_pattern

# --- the cheap anchor every rule needs (Rust-regex compatible: used by Polars too) ----------------
TRIGGER = (
    r"@|%40|%2540|\d[\d ().\-+/]{5,}\d|[0-9A-Fa-f]:[0-9A-Fa-f:]|::|[=:>]|"
    r"[A-ZÀ-ÖØ-ÞĀ-ſ][a-zß-öø-ÿĀ-ſ]+[ \t]+(?:(?:van|von|de|da|dos|du|del|der|la|le|di|bin|al)"
    r"[ \t]+)?[A-ZÀ-ÖØ-ÞĀ-ſ]|eyJ|BEGIN|AKIA|ASIA|AIza|gh[pousr]_|"
    r"github_pat_|gl[a-z]+-|xox|xapp|sk[-_]|rk_|pk_|whsec_|SG\.|npm_|pypi-|hf_|shp|dapi|ATATT|"
    r"sq0|ya29|AGE-SECRET|dp\.|PMAK-|:AA|_v1_|lin_|hv[sbr]\.|glsa_|glc_|NR(?:AK|II)-|sk\.|"
    r"secret_|ntn_|key-|8Q~|sntry|pul-|[A-Z]{6}\d\d[A-Z]\d\d|\d{7}-?[A-Z]\b|[A-Z]{2}\d{6}[A-D]\b|\d{6}[\-+A]\d{3}|"
    r"\d[ \t]+[A-ZÀ-ÖØ-ÞĀ-ſ]|[a-zß](?:straße|strasse|str\.|weg|allee|platz|gasse)[ \t]+\d|"
    r"\b(?i:bearer|basic|dear|hello|hi|hey|thanks|cheers|regards|mr|mrs|ms|mx|dr|prof|"
    r"secret|password|passwd|rue|avenue|boulevard|allée|chemin|impasse|quai|ping|cc|ask|tell|"
    r"talked|told|thx|ty|ok|sure|yes|no|lol|omg|fyi|btw|hmm|cool|great|nice|sorry|please|"
    r"miss|sir|madam|herr|frau|mme|dear)\b|[A-Za-zÀ-ÿ]['’]s\b|"
    r"\b(?:in|to|from|at|near|with|for|by|and|of|told|met|saw)[ \t]+[A-ZÀ-ÖØ-ÞĀ-ſ]"
)
_TRIGGER = re.compile(TRIGGER)

# --- e-mail: also percent-encoded (%40, %2540) and inside URLs; a key= prefix is never taken ------
_EMAIL = re.compile(
    r"(?:(?<![\w.%+\-])|(?<=%[0-9A-Fa-f]{2}))"
    r"(?P<local>(?:[\w+\-]|%(?:2[BbDdEe]|5[Ff])|\.(?![.@%]))+)"
    r"(?:@|%40|%2540)"
    r"(?P<domain>(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24})"      # IDN labels too
    r"(?![\w\-])"
)
_IN_AUTHORITY = re.compile(r"://[^\s/@?]*$")
# Message-ID/Content-ID <uuid@host>: an id with an @, not a mailbox
_MSG_ID_LOCAL = re.compile(r"[0-9A-Fa-f]{8}(?:[\-.][0-9A-Fa-f]{2,})+|[0-9A-Fa-f]{16,}")
_MSG_ID_HEADER = re.compile(r"(?i)(?:message-id|content-id|in-reply-to|references)[ \t]*:"
                            r"[^\n]*<?$")
_FILE_TLDS = _words("png jpg jpeg gif svg webp ico css js mjs ts json txt log zip gz tar pdf "
                        "html htm xml csv md py go rs java class jar so dll exe bin")

# --- secrets with a recognisable shape -------------------------------------------------------------
# literal substrings a secret cannot lack: a pattern runs only when one is present
_ANCHORS: dict[str, tuple[str, ...]] = {
    "pem_private_key": ("PRIVATE KEY",),
    "jwt": ("eyJ",),
    "aws_access_key_id": ("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"),
    "google_api_key": ("AIza",),
    "google_oauth_token": ("ya29.",),
    "azure_account_key": ("AccountKey=",),
    "github_token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "gitlab_token": ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-", "glsoat-", "glft-", "glimt-", "glagent-"),
    "slack_token": ("xox", "xapp-"),
    "slack_webhook": ("hooks.slack.com",),
    "openai_style_key": ("sk-",),
    "stripe_key": ("_live_", "_test_", "whsec_"),
    "sendgrid_key": ("SG.",),
    "npm_token": ("npm_",),
    "pypi_token": ("pypi-",),
    "huggingface_token": ("hf_",),
    "shopify_token": ("shp",),
    "databricks_token": ("dapi",),
    "atlassian_token": ("ATATT3",),
    "square_token": ("sq0",),
    "twilio_key": ("SK",),
    "age_secret_key": ("AGE-SECRET-KEY-1",),
    "doppler_token": ("dp.",),
    "postman_key": ("PMAK-",),
    "telegram_bot_token": (":AA",),
    "digitalocean_token": ("_v1_",),
    "linear_key": ("lin_",),
    "vault_token": ("hvs.", "hvb.", "hvr."),
    "grafana_token": ("glsa_", "glc_"),
    "newrelic_key": ("NRAK-", "NRII-"),
    "mapbox_token": ("sk.eyJ",),
    "notion_token": ("secret_", "ntn_"),
    "mailgun_key": ("key-",),
    "azure_client_secret": ("8Q~",),
    "sentry_token": ("sntrys_", "sntryu_"),
    "pulumi_token": ("pul-",),
    "bearer_token": ("bearer",),
    "basic_auth": ("Basic ",),
}
_SECRETS: list[tuple[str, str, re.Pattern, float, tuple[str, ...]]] = [
    (name, ent, re.compile(rx), score, _ANCHORS[name]) for name, ent, rx, score in [
        ("pem_private_key", "PRIVATE_KEY",
         (r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
          r"(?:-----END \1PRIVATE KEY(?: BLOCK)?-----|(?=\n\s*\n)|\Z)"), 1.0),
        ("jwt", "JWT",
         r"(?<![\w\-])eyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*", 0.99),
        ("aws_access_key_id", "CLOUD_KEY",
         (r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)"
          r"[A-Z0-9]{16}(?![A-Za-z0-9])"), 0.99),
        ("google_api_key", "CLOUD_KEY", r"(?<![\w\-])AIza[0-9A-Za-z_\-]{35}(?![\w\-])", 0.99),
        ("google_oauth_token", "AUTH_TOKEN", r"(?<![\w\-])ya29\.[0-9A-Za-z_\-]{20,}", 0.99),
        ("azure_account_key", "CLOUD_KEY",
         r"(?<=AccountKey=)[A-Za-z0-9+/]{40,}={0,2}", 0.99),
        ("github_token", "API_KEY",
         r"(?<![\w\-])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})", 0.99),
        ("gitlab_token", "API_KEY",
         r"(?<![\w\-])gl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_\-]{20,}", 0.99),
        ("slack_token", "API_KEY",
         r"(?<![\w\-])(?:xox[abposre]-[A-Za-z0-9\-]{10,}|xapp-\d-[A-Za-z0-9\-]{10,})", 0.99),
        ("slack_webhook", "API_KEY",
         r"(?<=hooks\.slack\.com/services/)[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]+", 0.99),
        ("openai_style_key", "API_KEY",
         r"(?<![\w\-])sk-(?:[a-z]+-)*[A-Za-z0-9_\-]{20,}", 0.97),
        ("stripe_key", "API_KEY",
         r"(?<![\w\-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{20,}", 0.99),
        ("sendgrid_key", "API_KEY",
         r"(?<![\w\-])SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}", 0.99),
        ("npm_token", "API_KEY", r"(?<![\w\-])npm_[A-Za-z0-9]{36}(?![\w])", 0.99),
        ("pypi_token", "API_KEY", r"(?<![\w\-])pypi-[A-Za-z0-9_\-]{50,}", 0.99),
        ("huggingface_token", "API_KEY", r"(?<![\w\-])hf_[A-Za-z0-9]{30,}(?![\w])", 0.99),
        ("shopify_token", "API_KEY", r"(?<![\w\-])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", 0.99),
        ("databricks_token", "API_KEY", r"(?<![\w\-])dapi[a-f0-9]{32}(?:-\d)?(?![\w])", 0.99),
        ("atlassian_token", "API_KEY", r"(?<![\w\-])ATATT3[A-Za-z0-9_\-=]{50,}", 0.99),
        ("square_token", "API_KEY", r"(?<![\w\-])sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,}", 0.99),
        ("twilio_key", "API_KEY", r"(?<![\w\-])SK[0-9a-f]{32}(?![\w])", 0.95),
        ("age_secret_key", "PRIVATE_KEY", r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}(?![0-9A-Z])", 0.99),
        ("doppler_token", "API_KEY",
         r"(?<![\w\-.])dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}(?![\w])", 0.99),
        ("postman_key", "API_KEY", r"(?<![\w\-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![\w])", 0.99),
        ("telegram_bot_token", "API_KEY", r"(?<![\w:])\d{8,10}:AA[A-Za-z0-9_\-]{32,33}(?![\w\-])",
         0.97),
        ("digitalocean_token", "API_KEY", r"(?<![\w\-])do[opr]_v1_[a-f0-9]{64}(?![\w])", 0.99),
        ("linear_key", "API_KEY", r"(?<![\w\-])lin_(?:api|oauth)_[A-Za-z0-9]{40}(?![\w])", 0.99),
        ("vault_token", "AUTH_TOKEN", r"(?<![\w\-.])hv[sbr]\.[A-Za-z0-9_\-]{24,}", 0.99),
        ("grafana_token", "API_KEY",
         r"(?<![\w\-])(?:glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,2})", 0.99),
        ("newrelic_key", "API_KEY", r"(?<![\w\-])NR(?:AK|II)-[A-Z0-9]{27,32}(?![\w])", 0.99),
        ("mapbox_token", "API_KEY", r"(?<![\w\-.])sk\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
         0.99),
        ("notion_token", "API_KEY",
         r"(?<![\w\-])(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})(?![\w])", 0.97),
        ("mailgun_key", "API_KEY", r"(?<![\w\-])key-[a-f0-9]{32}(?![\w])", 0.97),
        ("azure_client_secret", "API_KEY",
         r"(?<![\w\-.~])[A-Za-z0-9_.\-]{3}8Q~[A-Za-z0-9_.~\-]{31,34}(?![\w\-.~])", 0.97),
        ("sentry_token", "API_KEY", r"(?<![\w\-])sntry[su]_[A-Za-z0-9+/=_\-]{40,}", 0.99),
        ("pulumi_token", "API_KEY", r"(?<![\w\-])pul-[a-f0-9]{40}(?![\w])", 0.99),
        ("bearer_token", "AUTH_TOKEN",
         r"(?i:(?<=bearer )|(?<=bearer=)|(?<=bearer:))[ \t]*[A-Za-z0-9\-._~+/]{12,}=*", 0.9),
        ("basic_auth", "AUTH_TOKEN",
         r"(?<=Basic )[A-Za-z0-9+/]{8,}={0,2}(?![\w+/=])", 0.9),
    ]
]

# an AWS secret access key: 40 base64 characters, found next to its access key id or a cue word
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_CUE = re.compile(r"(?i)aws|secret|AKIA|ASIA")
# a credential after a cue word in prose: "secret wJalr…", "password is Summer2024!", "token: …"
_SECRET_CUE = re.compile(
    r"(?i)\b(?P<cue>secret(?:[ _\-]?(?:access[ _\-]?)?key)?|client[ _\-]secret|password|passwd|"
    r"pwd|passphrase|api[ _\-]?key|access[ _\-]?token|auth[ _\-]?token|token)"
    r"(?:[ \t]+(?:is|was|=|:|->))?[ \t]*[:=]?[ \t]+(?P<v>[^\s\"'<>,;]{6,300})")
# keys too vague to trust alone ("key", "session"): their value must look random to count
_WEAK_SECRET_KEYS = frozenset({"key", "k", "session", "sessionid", "sid", "sess", "code"})

# --- URL userinfo: scheme://user:password@host ------------------------------------------------------
_USERINFO = re.compile(r"(?<=://)(?P<user>[^\s:/?#@\[\]<>\"']+)(?::(?P<pw>[^\s/?@<>\"']*))?@"
                       r"(?=[A-Za-z0-9\[])")

# --- numbers -----------------------------------------------------------------------------------------
_NUM_BEFORE = r"(?=\d)(?<![\w\-.$/#])"
_NUM_AFTER = r"(?![\w\-]|[.,]\d)"
_PHONE_AFTER = r"(?![\w\-]|\.\d)"           # a comma may follow: CSV cells
_PHONE_NA = re.compile(
    r"(?=[\d(+])(?<![\w\-.$/#])" + r"(?P<p>(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
    r"|\+1\d{10})" + _PHONE_AFTER)
_PHONE_INTL = re.compile(
    r"(?=[+0])(?<![\w\-.+:/])(?P<p>(?:\+|00)[1-9]\d{0,3}(?:[ .\-]?\(?\d{1,5}\)?){1,6})" + _PHONE_AFTER)
# an extension after a number belongs to it: "+44 20 7946 0958 ext. 12", "(415) 555-0134 x204"
_EXT = re.compile(r"(?i)(?:[ \t]|%20)*,?(?:[ \t]|%20)*(?:ext\.?|extension|x)(?:[ \t]|%20)*\d{1,6}"
                  r"(?!\w)")
_EXT_TAIL = re.compile(r"(?i)[ \t]*,?[ \t]*(?:ext\.?|extension|x)[ \t]*\d{1,6}$")
# a phone value under a phone key, national formats included: "030 94370820", "07947 416057"
_PHONE_VALUE = re.compile(r"(?i)\+?\(?\d[\d ()./\-]{4,22}\d(?:" + _EXT.pattern[4:] + ")?")
_PHONE_CUE = re.compile(r"(?i)(?:phone|tel|mobile|cell|fax|call|contact|whatsapp|sms)\W{0,4}$")
_ID_VALUE = re.compile(r"[A-Z0-9][A-Z0-9]*(?:[ .\-][A-Z0-9]+){0,6}(?![\w\-])")
# a national number (trunk prefix 0, or 8 digits in groups) a phone cue introduces:
# "Call me on 020 7946 0958", "Rufnummer: (02) 1234 9054", "WhatsApp 081234 03867"
_PHONE_NATIONAL = re.compile(
    r"(?=[\d(])(?<![\w\-.+/])(?P<p>\(?0\d{1,4}\)?(?:[ .\-]?\d{2,5}){1,4}|\(?[1-9]\d{1,3}\)?(?:[ .\-]\d{2,5}){1,4})"
    r"(?![\w\-:]|[.,]\d)")
_NATIONAL_CUE = re.compile(
    r"(?i)(?:\b(?:phone|tel|t[ée]l|telephone|t[ée]l[ée]phone|telefon|rufnummer|handy|mobile?|"
    r"mobil|portable|cell|fax|call|ring|reach|text|sms|whatsapp|signal|contact|hotline|"
    r"helpline|dial)\b[^\d\n;]{0,40}|\b(?:on|at)[ \t]*)$")
_NATIONAL_CUE_WORD = re.compile(trie_pattern(sorted(_words(
    "phone tel tél telephone téléphone telefon rufnummer handy mobile mobil portable cell fax "
    "call ring reach text sms whatsapp signal contact hotline helpline dial"))))
_PHONE_REGIONS = ("GB", "DE", "FR", "AU", "IE", "IT", "ES", "NL", "CH", "AT", "BE", "SE", "JP",
                  "IN", "BR", "SG", "NZ", "ZA", "MX", "PL", "PT", "NO", "DK", "FI")
_CARD = re.compile(
    _NUM_BEFORE + r"(?P<c>\d{4}(?P<s>[ \-])\d{4}(?P=s)\d{4}(?P=s)\d{1,4}(?:(?P=s)\d{1,3})?"
    r"|\d{4}(?P<s2>[ \-])\d{6}(?P=s2)\d{4,5}|\d{13,19})" + _NUM_AFTER)
_ID_BEFORE = re.compile(r"(?i)(?:order|invoice|inv|ref|reference|txn|transaction|tracking|"
                        r"shipment|account|acct|id|no|num|number)[\w\-]*[ \t]*[:=#]?[ \t]*[\"']?$")
_CARD_CUE = re.compile(r"(?i)card|\bpan\b|\bcc\b|visa|amex|mastercard|maestro|discover|payment")
_SSN = re.compile(_NUM_BEFORE + r"(?P<a>\d{3})(?P<s>[\- ])(?P<g>\d{2})(?P=s)(?P<n>\d{4})"
                  + _NUM_AFTER)
_IBAN_START = re.compile(r"(?=[A-Z])(?<![A-Za-z0-9])(?P<cc>[A-Z]{2})\d{2}(?=[ ]?[A-Z0-9])")
_IPV4 = re.compile(
    r"(?=\d)(?<![\w.\-])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\w\-]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?"
    r"(?:%[A-Za-z0-9]+)?(?![\w:]|\.\d)")
_VERSION_CTX = re.compile(r"(?i)(?:(?:version|ver|build|release|firmware|v|pkg|package|sdk|"
                          r"upgraded to|updated to|deployed|deploying|rolled out)[\s:=\"'/]{0,3}"
                          r"|==|~=|>=|<=|@)$")
# a release verb a few words before: "Deployed worker 5.6.1.9", "upgraded the agent to 2.1.0.4"
_RELEASE_CTX = re.compile(r"(?i)\b(?:deploy(?:ed|ing)?|upgrad(?:ed|ing)|updat(?:ed|ing)|install(?:ed|ing)|"
                          r"releas(?:ed|ing)|roll(?:ed|ing) out|bump(?:ed)?|pinn(?:ed)?)"
                          r"(?:\s+[\w\-]+){0,3}\s+$")
# an address cue before a dotted quad: then even 5.6.1.9 is an address, not a version
_IP_CUE = re.compile(r"(?i)(?:\bip|addr|address|from|client|remote|src|source|dst|dest|peer|host|"
                     r"server|forwarded-for|via|nameserver|dns|gateway|resolver|to|\()\W{0,3}$")

# --- key = value, JSON fields, headers, XML elements ------------------------------------------------
_KV = re.compile(
    r"(?=[\"'A-Za-z_@$])(?:(?<![\w.\-])|(?<=[\s\"']--)|(?<=^--))(?P<kq>[\"']?)(?P<key>[A-Za-z_@$][\w.\-]{0,48})"
    r"(?P=kq)[ \t]*(?:=>|[=:])[ \t]*"
    r"(?:\"(?P<dq>(?:[^\"\\\n]|\\.){0,400})\"|'(?P<sq>[^'\n]{0,400})'"
    r"|(?P<bare>(?:&(?![\w.\-]*=))?[^\s\"',;&}\])|<>]{1,400}))")
_XML = re.compile(r"<(?P<key>[A-Za-z_][\w.\-]{0,48})>(?P<val>[^<\n]{1,200})</(?P=key)>")
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{8}T\d{6}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PLACEHOLDER = re.compile(
    r"^(?:<[A-Z_]+(?:_[0-9a-f]{6})?>|\*+|x{3,}|X{3,}|#+|\.{3}|-+|\[?redacted\]?|\[?masked\]?|null|"
    r"none|nil|true|false|yes|no|n/a|na|undefined|unknown|anonymous|\$\{[^}]*\}|\{\{[^}]*\}\}|"
    r"%s|\?|<[^>]*>)$", re.IGNORECASE)

# --- names in prose -----------------------------------------------------------------------------------
# Latin letters with diacritics (Latin-1 and Latin Extended-A: Ł, ř, ş, ı, ő, …) count as letters
_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ſȘ-ț", "a-zß-öø-ÿĀ-ſȘ-ț"
_WORD = (f"[{_UP}][{_LO}]*(?:['’\\-]?[{_UP}][{_LO}]+)*(?:['’\\-][{_LO}]+)*")
_TITLE = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sr|Jr|St)\."
_PARTICLES = r"(?:van|von|de|da|dos|das|du|del|della|der|den|la|le|di|bin|ibn|al|el|ter|ten)"
_NAME_TOK = rf"(?:{_TITLE}|[{_UP}]\.|{_WORD})"
# a leading look-ahead on the possible first letters lets ``re`` skip to them before it tries
# the look-behind (the same trick on the other name patterns below)
_CAP_RUN = re.compile(rf"(?=[{_UP}])(?<![\w@./\-]){_NAME_TOK}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_NAME_TOK})+"
                      rf"(?![\w@/\-])")
# words that introduce a name: inside a capitalised run ("Customer Jane Doe", "Dear Jane") …
_CUE_WORDS = _words("""mr mrs ms miss mx dr prof sir madam dear hi hello hey thanks customer client
applicant patient employee user caller tenant student cardholder contact attn regards cheers
sincerely""")
# … or just before it. Strong cues almost always introduce a person ("escalated to Jane Doe",
# "Customer: Jane Doe"); weak ones as often introduce a company, product, place or status
# ("review with Redwood Analytics", "I am Running Late"), so their names need confirming.
_STRONG_BEFORE = re.compile(
    r"(?i)(?:\b(?:cc|bcc|attn|attention|contact|customer|client|applicant|patient|employee|"
    r"beneficiary|addressee|payee|holder|ship to|deliver to|bill to|(?:you can )?reach|"
    r"user|caller|cardholder|tenant|thanks|thank you|regards|dear|hi|hello|hey|cheers|sincerely|"
    r"mr|mrs|ms|mx|dr|prof|assignee|owner|reporter|signed|signed by|name is|name's|"
    r"(?:re)?assigned to|escalated (?:to|by)|reported by|approved by|opened by|closed by|"
    r"resolved by|submitted by|requested by|created by|handled by|raised by|filed by|"
    r"reviewed by|authored by|signed off by|on behalf of|forwarded (?:to|by)|"
    r"handed (?:over )?to|referred to|transferred to|"
    # people are spoken with and written to; complaints and messages come from them
    r"(?:spoke|speak|speaking|talked|talk|talking|met|meet|meeting|chatted|call|called|calling)"
    r" (?:with|to)|(?:reply|replied|replying|respond|responded|write|wrote|writing) to|"
    r"(?:complaint|message|e-?mail|call|request|feedback|letter|note|reply|response|question|"
    r"query|text|voicemail|dm)s? from)"
    r"|(?:^|\n)[ \t]*(?:from|to|reply-to|sender)[ \t]*:)"
    r"\.?[,:!]?(?:[ \t]+|[ \t]*\n)$")
# a passive verb earlier in the clause makes a later "by" strong: "escalated to A by B"
_PASSIVE_BY = re.compile(
    r"(?i)\b(?:assigned|escalated|reported|approved|opened|closed|resolved|submitted|requested|"
    r"created|handled|raised|filed|reviewed|authored|signed|forwarded|rejected|updated|edited|"
    r"modified|deleted|cancell?ed|acknowledged|verified)\b(?:\b[A-Z]\.|[^.;!?\n]){0,60}"
    r"\bby[ \t]+$")
_WEAK_BEFORE = re.compile(
    r"(?i)\b(?:by|to|from|with|for|user|named|called|i am|i['’]m|this is|is|was)"
    r"\.?[,:!]?(?:[ \t]+|[ \t]*\n)$")
_EMAIL_NAME = re.compile(rf"(?P<n>{_NAME_TOK}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_NAME_TOK})+)"
                         r"[ \t]*\"?[ \t]*[<(][^<>()@\s]+(?:@|%40)")
# a quoted display name, "Last, First" included: From: "Okafor, Chidi" <chidi@…>
_QUOTED_NAME = re.compile(r"\"(?P<n>[^\"<>@\n\d]{2,60})\"[ \t]*<[^<>@\s]+(?:@|%40)")


def _add(out: list, ent: str, s: int, e: int, score: float, rec: str) -> None:
    if e > s:
        out.append(Finding(ent, s, e, score, rec))


def _emails(text: str, out: list) -> None:
    for m in _EMAIL.finditer(text):
        tld = m.group("domain").rsplit(".", 1)[-1].lower()
        if tld in _FILE_TLDS or m.group("local") == "git":
            continue
        local = m.group("local")
        if (_MSG_ID_LOCAL.fullmatch(local) and any(c.isdigit() for c in local)
                and any(c.isalpha() for c in local)) or \
                _MSG_ID_HEADER.search(text, max(0, m.start() - 200), m.start()):
            continue
        if _IN_AUTHORITY.search(text, max(0, m.start() - 300), m.start()):
            continue                                  # user:password@host of a URL, not an e-mail
        _add(out, "EMAIL_ADDRESS", m.start(), m.end(), 1.0, "email")


# every anchor of every secret pattern, found in one pass (a lookahead reports anchors that
# start inside another); each anchor maps to the patterns that need it or one of its prefixes
_ANCHOR_WORDS = sorted({a for *_, anchors in _SECRETS for a in anchors} | {"Bearer", "BEARER"})
_ANY_ANCHOR = re.compile("(?=(" + trie_pattern(_ANCHOR_WORDS) + "))")
_ANCHOR_PATTERNS: dict[str, tuple[int, ...]] = {
    word: tuple(i for i, (*_, anchors) in enumerate(_SECRETS)
                if any(word.lower().startswith(a.lower()) if a == "bearer" else word.startswith(a)
                       for a in anchors))
    for word in _ANCHOR_WORDS}


def _secrets(text: str, out: list) -> None:
    lower = text.lower()
    found = _ANY_ANCHOR.findall(text)
    if found:
        wanted = sorted({i for a in set(found) for i in _ANCHOR_PATTERNS[a]})
        if "bearer" in lower and "bearer" not in found:
            wanted = sorted(set(wanted) | set(_ANCHOR_PATTERNS["Bearer"]))
        for i in wanted:
            name, ent, rx, score, _ = _SECRETS[i]
            for m in rx.finditer(text):
                s, e = m.span()
                while s < e and text[s] in " \t":
                    s += 1
                _add(out, ent, s, e, score, name)
    if ("aws" in lower or "secret" in lower or "AKIA" in text or "ASIA" in text) and \
            len(text) >= 40:
        _aws_secrets(text, out)
    if any(w in lower for w in _SECRET_CUE_WORDS):
        _secret_cues(text, out)
    if "://" not in text:
        return
    _userinfo(text, out)


_SECRET_CUE_WORDS = ("secret", "passw", "pwd", "passphrase", "key", "token")


def _secret_cues(text: str, out: list) -> None:
    """Find credentials that follow a cue word without a key=value shape."""
    for m in _SECRET_CUE.finditer(text):
        val = m.group("v").rstrip(".")
        cue = m.group("cue").lower()
        pw = cue.startswith(("pass", "pwd"))
        if looks_random(val, min_len=6 if pw else 12) or (pw and _pw_shaped(val)):
            ent = "PASSWORD" if pw else "AUTH_TOKEN" if "token" in cue else "API_KEY"
            _add(out, ent, m.start("v"), m.start("v") + len(val), 0.7, "secret_cue")


# accounts every installation has: the user name says nothing about a person
_GENERIC_ACCOUNTS = _words("""default root admin administrator postgres guest anonymous user
ubuntu ec2-user oauth2 x-access-token token apikey api bearer git""")


_AUTH_USER = re.compile(
    r"(?:\b(?:Accepted|Failed)[ \t]+(?:password|publickey|keyboard-interactive(?:/pam)?|none|"
    r"gssapi-with-mic)[ \t]+for(?:[ \t]+invalid[ \t]+user)?|\bInvalid[ \t]+user|\bsession[ \t]+"
    r"(?:opened|closed)[ \t]+for[ \t]+user|\bfor[ \t]+user|\bby[ \t]+user|\blogin[ \t]+(?:of|for)|"
    r"\bsudo:[ \t]*|\bsu:[ \t]*\(to[ \t]+\w+\)[ \t]*|\buser)[ \t]+'?(?P<u>[A-Za-z][\w.\-@]{1,63}?)'?"
    r"(?=[ \t]|[,;:)]|$)")


def _auth_users(text: str, out: list) -> None:
    """Find user names that auth and audit logs print after ``for user``, ``Accepted … for``."""
    for m in _AUTH_USER.finditer(text):
        u = m.group("u")
        strong = not m.group().lower().lstrip().startswith("user")
        if u.lower() in _NOT_USERNAMES or u.lower() in _GENERIC_ACCOUNTS or "@" in u:
            continue
        # after a bare "user" only a login-shaped token (jdoe42, a.khan) is taken
        if strong or _LOGIN.fullmatch(u):
            _add(out, "USERNAME", m.start("u"), m.end("u"), 0.7, "auth_user")


def _userinfo(text: str, out: list) -> None:
    """Find the user name and password in ``scheme://user:password@host``."""
    for m in _USERINFO.finditer(text):
        user, pw = m.group("user"), m.group("pw")
        if not _PLACEHOLDER.match(user) and user.lower() not in _GENERIC_ACCOUNTS:
            _add(out, "USERNAME", m.start("user"), m.end("user"), 0.95, "url_userinfo")
        if pw and not _PLACEHOLDER.match(pw):
            _add(out, "PASSWORD", m.start("pw"), m.end("pw"), 0.99, "url_userinfo")


def _ext_end(text: str, end: int) -> int:
    """Return where a phone number ends once a following extension is included."""
    m = _EXT.match(text, end)
    return m.end() if m else end


def looks_random(val: str, min_len: int = 16) -> bool:
    """Return True when a token looks machine-made (a credential), not a word, number or date."""
    if len(val) < min_len or "://" in val or val.startswith(("/", "$", "{", "<", "%")):
        return False
    if _PLACEHOLDER.match(val) or _DATE_LIKE.match(val) or _UUID.fullmatch(val):
        return False
    up = any(c.isupper() for c in val)
    lo = any(c.islower() for c in val)
    dg = any(c.isdigit() for c in val)
    letters = sum(c.isalpha() for c in val)
    return letters >= 3 and dg and (up + lo + dg >= 3 or len(val) >= 20) and (up or lo)


def _pw_shaped(val: str) -> bool:
    """Return True for a password-like word: letters with digits or symbols (``Summer2024!``)."""
    return (len(val) >= 6 and any(c.isalpha() for c in val)
            and any(not c.isalpha() for c in val) and not _DATE_LIKE.match(val)
            and not val.replace(".", "").replace("-", "").isdigit())


def _aws_secrets(text: str, out: list) -> None:
    """Find 40-character AWS secret keys next to an access key id or after an aws/secret cue."""
    for m in _AWS_SECRET.finditer(text):
        val = m.group()
        if not (any(c.isupper() for c in val) and any(c.islower() for c in val)
                and any(c.isdigit() for c in val)) or val.isalnum() and val.lower() == val:
            continue
        near = text[max(0, m.start() - 120):m.start()] + " " + text[m.end():m.end() + 60]
        if _AWS_CUE.search(near):
            _add(out, "CLOUD_KEY", m.start(), m.end(), 0.9, "aws_secret_key")


def _national_phones(text: str, out: list) -> None:
    """Find numbers in a national format (no country code) after a phone cue word."""
    for m in _PHONE_NATIONAL.finditer(text):
        p = m.group("p")
        digits = re.sub(r"\D", "", p)
        if _DATE_LIKE.match(p) or not 8 <= len(digits) <= 12 or (p[0] != "(" and p[0] != "0" and " " not in p
                                           and "-" not in p):
            continue
        if not _NATIONAL_CUE.search(text, max(0, m.start() - 48), m.start()):
            continue
        if v.national_phone_ok(digits, _PHONE_REGIONS):
            _add(out, "PHONE_NUMBER", m.start("p"), _ext_end(text, m.end("p")), 0.8,
                 "phone_national")


# a run of digits with the separators numbers are written with: its digit count says which
# number patterns can match at all (a card needs 13, an SSN 9, a national phone number 8)
_DIGIT_RUN = re.compile(r"\d(?:[ \-().+/]{0,2}\d)+")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_SEPARATORS = str.maketrans("", "", " -().+/")


def _longest_run(text: str) -> int:
    """Return the most digits any one run of digits and separators holds.

    The hour of a timestamp (``2024-01-01 10:15``) does not count: a run that a colon follows
    loses its last group.
    """
    best = 0
    for m in _DIGIT_RUN.finditer(text):
        run = m.group()
        if len(run) <= best:
            continue
        if text[m.end():m.end() + 1] == ":":
            run = run.rsplit(" ", 1)[0] if " " in run else ""
        if _ISO_DATE.fullmatch(run):
            continue                                  # 2024-03-05: a date, never a number
        best = max(best, len(run.translate(_SEPARATORS)))
    return best


def _numbers(text: str, out: list) -> None:
    longest = _longest_run(text)
    if longest >= 8:
        _card_ssn_na(text, out, longest)
    if "+" in text or "00" in text:
        _intl_phones(text, out)
    if longest >= 8 and _NATIONAL_CUE_WORD.search(text.lower()):
        _national_phones(text, out)
    _ibans_ips(text, out)


def _card_ssn_na(text: str, out: list, longest: int) -> None:
    """Find cards, SSNs and North American phone numbers (the longest digit run allows)."""
    for m in _CARD.finditer(text) if longest >= 13 else ():
        c = m.group("c")
        digits = c.replace(" ", "").replace("-", "")
        if len(digits) == len(c):                  # bare digits: an order or record id?
            before = text[max(0, m.start() - 40):m.start()]
            if _ID_BEFORE.search(before) and not _CARD_CUE.search(before):
                continue
        if v.card_iin_ok(digits) and v.luhn_ok(digits):
            _add(out, "CREDIT_CARD", m.start("c"), m.end("c"), 1.0, "credit_card")
    for m in _SSN.finditer(text):
        if v.ssn_ok(m.group("a"), m.group("g"), m.group("n")):
            _add(out, "US_SSN", m.start(), m.end(), 0.9, "us_ssn")
    for m in _PHONE_NA.finditer(text):
        digits = re.sub(r"\D", "", m.group("p"))
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if v.nanp_ok(digits):
            _add(out, "PHONE_NUMBER", m.start("p"), _ext_end(text, m.end("p")), 0.85, "phone_na")



def _intl_phones(text: str, out: list) -> None:
    """Find numbers written with their country code: ``+44 20 7946 0958``, ``0049 30 …``."""
    for m in _PHONE_INTL.finditer(text):
        p = m.group("p").rstrip(" .-(")
        digits = re.sub(r"\D", "", p)
        if p.startswith("00"):                      # 00-prefix only next to a phone cue
            if not _PHONE_CUE.search(text, max(0, m.start() - 24), m.start()):
                continue
            digits = digits[2:]
        if v.intl_phone_ok(digits):
            _add(out, "PHONE_NUMBER", m.start("p"), _ext_end(text, m.start("p") + len(p)), 0.85,
                 "phone_intl")


def _ibans_ips(text: str, out: list) -> None:
    """Find IBANs and IP addresses."""
    for m in _IBAN_START.finditer(text):
        length = v.IBAN_LENGTHS.get(m.group("cc"))
        if not length:
            continue
        i, n, end = m.start(), 0, m.start()
        while i < len(text) and n < length:
            ch = text[i]
            if ch.isascii() and ch.isalnum():
                n, end = n + 1, i + 1
            elif ch != " " or text[i - 1] == " ":
                break
            i += 1
        compact = text[m.start():end].replace(" ", "").upper()
        if n == length and not (end < len(text) and text[end].isalnum()) and v.iban_ok(compact):
            _add(out, "IBAN_CODE", m.start(), end, 1.0, "iban")
    for m in _IPV4.finditer(text) if text.count(".") >= 3 else ():
        before = text[max(0, m.start() - 16):m.start()]
        if _VERSION_CTX.search(before) or (before.endswith("/") and before[-2:-1].isalnum()):
            continue
        if _RELEASE_CTX.search(text[max(0, m.start() - 48):m.start()]) and \
                not _IP_CUE.search(before):
            continue
        octets = [int(o) for o in m.group().split(".")]
        if octets == [0, 0, 0, 0]:
            continue                                  # the unspecified (bind-all) address
        # A bare dotted quad with no version cue is taken for an address: 1.1.1.1 and 8.8.8.8 are
        # as common as cue-less four-part versions, and a missed address leaks while a masked
        # version only costs a little precision.
        _add(out, "IP_ADDRESS", m.start(), m.end(), 0.9, "ipv4")
    if "::" in text or text.count(":") >= 7:
        for m in _IPV6.finditer(text):
            if v.ipv6_ok(m.group()):
                _add(out, "IP_ADDRESS", m.start(), m.end(), 0.9, "ipv6")


def _name_shaped(value: str) -> bool:
    words = value.split()
    if not 1 <= len(words) <= 5 or any(c.isdigit() for c in value) or "@" in value:
        return False
    lw = [w.strip(".,").lower() for w in words]
    if all(w in NOT_NAMES for w in lw):
        return False
    return all(w[:1].isupper() or w in _PARTICLE_SET for w in words) or (
        len(words) >= 2 and all(w.rstrip(".").replace("-", "").replace("'", "").isalpha()
                                for w in words))


# words that follow "User:" in transcripts and forms, never a login
_NOT_USERNAMES = _words("""my i me we you your our it this that there here please what why how when
where who which can could would should will do does did is are was hi hello hey thanks thank yes no
sure ok okay help draft translate summarise summarize write tell give explain show list find the
a an and or not none unknown guest system root admin""")


def value_entity(key_ent: str | None, value: str, key: str | None = None) -> str | None:
    """Return the entity a value holds given what its key says, or None when it holds none."""
    if key_ent is None:
        return None
    val = value.strip()
    if not val or _PLACEHOLDER.match(val):
        return None
    if key_ent == "PERSON":
        val = unquote_plus(val)
        # tenant="Crescent Pharma", customer=Redwood Analytics: an organisation, not a person
        if WEAK_CUES["kv_org_words"] and " " in val.strip() and org_like(val.split()):
            return None
        if _name_shaped(val):
            return "PERSON"
        # approver=jdoe42, owner=maria.lopez: a login under a person key
        if val.lower() in _NOT_USERNAMES or val.lower() in _GENERIC_ACCOUNTS:
            return None
        if _LOGIN.fullmatch(val):
            return "USERNAME"
        actor = key is not None and normalize(key) in _ACTOR_KEYS
        return "USERNAME" if actor and _PLAIN_LOGIN.fullmatch(val) else None
    if key_ent == "USERNAME":
        if val.lower() in _NOT_USERNAMES:
            return None
        if len(val) < 2 or not any(c.isalpha() for c in val) or val.lower().startswith("0x"):
            return None
        return "PERSON" if " " in unquote_plus(val).strip() and _name_shaped(
            unquote_plus(val)) else "USERNAME"
    if key_ent == "PHONE_NUMBER":
        val = _EXT_TAIL.sub("", unquote_plus(val) if "%" in val else val)
        return key_ent if 7 <= sum(c.isdigit() for c in val) <= 15 and not any(
            c.isalpha() for c in val) else None
    if key_ent == "US_SSN":
        digits = re.sub(r"\D", "", val)
        if len(digits) == 9 and len(val) <= 11:
            return key_ent
        return "NATIONAL_ID" if ids.value_ok(val) else None     # tax_id= of another country
    if key_ent == "NATIONAL_ID":
        compact = re.sub(r"[\s.\-/]", "", val)
        if ids.value_ok(val):
            return key_ent
        if key is None or normalize(key) not in ID_DOC_KEYS:
            return None
        # passport and licence numbers carry no check digit: a code with digits will do
        return key_ent if 6 <= len(compact) <= 20 and compact.isalnum() and sum(
            c.isdigit() for c in compact) >= 4 and len(val) <= 24 else None
    if key_ent == "LOCATION":
        return key_ent if places.value_ok(val) else None
    if key_ent == "PASSWORD":
        return key_ent if len(val) >= 3 else None
    # API keys, tokens, cloud secrets: long enough to be a credential, not a word or a number
    if len(val) < 8 or val.isdigit() or val.lower() in ("bearer", "basic", "token", "digest"):
        return None
    if val.split()[0].lower() in ("bearer", "basic", "token", "digest"):
        return None                                   # the scheme rules take the credential
    return key_ent


# a login: letters with digits or a separator inside (jdoe42, maria.lopez, a_khan)
_LOGIN = re.compile(r"(?=[a-z0-9._\-]*(?:\d|[a-z][._\-][a-z]))[a-z][a-z0-9._\-]{1,39}")
_PLAIN_LOGIN = re.compile(r"[a-z]{3,20}")
# person keys that name who did something: their one-word lower-case value is a login
_ACTOR_KEYS = _words("""approver approvedby reviewer reviewedby assignee assignedto assignedby
author createdby updatedby modifiedby submittedby requester requestor requestedby reporter
reportedby openedby closedby resolvedby escalatedby handledby signedby agent""")
_VALUE_WORD = re.compile(r"[ \t]+([^\s=:\"',;&|<>()\[\]{}]+)(?=[\s\"',;&|<>)\]}]|$)")
_PARTICLE_SET = frozenset(_PARTICLES[3:-1].split("|"))
_NOT_IN_NAME = _words("""is was are has had have logged signed updated created deleted requested
failed succeeded changed added removed at in on for from to with and or via by the a an ok id""")


def _name_run_end(text: str, s: int, e: int) -> int:
    """Return where an unquoted name value ends: later words join while they look like a name."""
    lower = text[s:s + 1].islower()
    n = 1
    while n < 5 and (m := _VALUE_WORD.match(text, e)):
        w = m.group(1)
        wl = w.lower().rstrip(".")
        initial = len(w) == 2 and w[0].isupper() and w[1] == "."
        if not initial and (wl in NOT_NAMES or wl in _NOT_IN_NAME) or any(
                c.isdigit() for c in w):
            break
        if wl not in _PARTICLE_SET and not (w.islower() if lower else w[:1].isupper()):
            break
        e, n = m.end(1), n + 1
    return e


_AZURE_CONN = re.compile(r"AccountKey=|EndpointSuffix=|DefaultEndpointsProtocol=|"
                         r"SharedAccessSignature=|BlobEndpoint=")
_QUERY_VALUE = re.compile(r"[^\s&\"'<>]*")
_LINE_WORDS = re.compile(r"[ \t]+\S+[ \t]+\S+")


def _speaker_label(text: str, m: re.Match, e: int) -> bool:
    """Return True for a chat role label at a line start (``User: Can you …``), not a user name."""
    at_line_start = m.start() == 0 or text[m.start() - 1] in "\n\"'"
    return at_line_start and ":" in text[m.end("key"):m.start("bare")] and bool(
        _LINE_WORDS.match(text, e))


_SECRET_ENTS = frozenset({"PASSWORD", "API_KEY", "AUTH_TOKEN", "CLOUD_KEY"})
_NON_SPACE = re.compile(r"[^\s\"'<>]*")


def _kv(text: str, out: list) -> None:
    pos = 0
    while (m := _KV.search(text, pos)) is not None:
        key_ent = key_entity(m.group("key"))
        # a value may hold further pairs (url=https://h/p?name=x): resume after the key only
        pos = m.end() if key_ent else m.end("key") + 1
        if key_ent is None:
            if normalize(m.group("key")) in _WEAK_SECRET_KEYS:
                g = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None \
                    else "bare"
                if looks_random(m.group(g), 16):
                    _add(out, "API_KEY", m.start(g), m.end(g), 0.75, "kv_weak_key")
            continue
        for g in ("dq", "sq", "bare"):
            if m.group(g) is not None:
                s, e = m.start(g), m.end(g)
                break
        if key_ent == "PERSON" and g == "bare":
            e = _name_run_end(text, s, e)         # unquoted names run on over spaces
        elif key_ent in ("NATIONAL_ID", "US_SSN") and g == "bare":
            run = _ID_VALUE.match(text, s)        # steuer_id=82 961 450 356
            if run:
                e = max(e, run.end())
        elif key_ent == "LOCATION" and g == "bare":
            end = places.address_end(text, s)     # address=1420 Maple Ave, Springfield
            e = max(e, end) if end else _name_run_end(text, s, e)
        elif key_ent == "PHONE_NUMBER" and g == "bare":
            run = _PHONE_VALUE.match(text, s)     # national numbers hold spaces
            if run:
                e = max(e, run.end())
            tok = _QUERY_VALUE.match(text, s).group()
            if "%" in tok:                        # percent-encoded: phone=%2B44%20(0)20%20…
                e = max(e, s + len(tok))
        elif key_ent in _SECRET_ENTS and g == "bare" and (
                m.start() == 0 or text[m.start() - 1] not in "?&"):
            # outside a query string a password runs to the next space: "passwd=3&W5Px0jl"
            tail = _NON_SPACE.match(text, e).group()
            if tail and "=" not in tail:
                e += len(tail.rstrip(",;."))
        elif key_ent == "USERNAME" and g == "bare" and text[s:s + 1].isupper():
            if _speaker_label(text, m, e):
                continue                          # "User: Please summarise …" is a transcript
            e = _name_run_end(text, s, e)         # user=Jane Doe holds a name
        if key_ent == "USERNAME" and normalize(m.group("key")) == "accountname" and \
                _AZURE_CONN.search(text):
            continue                              # an Azure storage account, not a person
        ent = value_entity(key_ent, text[s:e], m.group("key"))
        if ent:
            while e > s and text[e - 1] in ".,":
                e -= 1
            _add(out, ent, s, e, 0.8, f"kv_{ent.lower()}")
    if "</" in text:
        for m in _XML.finditer(text):
            ent = value_entity(key_entity(m.group("key")), m.group("val"), m.group("key"))
            if ent:
                _add(out, ent, m.start("val"), m.end("val"), 0.8, f"xml_{ent.lower()}")


_CSV_SEPS = (",", ";", "\t", "|")
# columns whose dotted numbers are versions, not addresses
_VERSION_KEYS = frozenset({"version", "ver", "build", "release", "firmware", "appversion",
                           "osversion", "buildnumber", "buildid", "sdkversion", "clientversion"})


def _csv_block(text: str, out: list) -> None:
    """Find values under name/user/secret columns of a CSV block with a header line."""
    head, _, rest = text.partition("\n")
    sep = max(_CSV_SEPS, key=head.count)
    if not rest or head.count(sep) < 1:
        return
    names = [c.strip().strip('"') for c in next(csv.reader([head], delimiter=sep))]
    cols = [key_entity(c) for c in names]
    versions = [normalize(c) in _VERSION_KEYS for c in names]
    if not any(cols) and not any(versions):
        return
    quiet: list[tuple[int, int]] = []
    pos = len(head) + 1
    for line in rest.split("\n"):
        try:
            fields = next(csv.reader([line], delimiter=sep))
        except (csv.Error, StopIteration):
            fields = []
        cur = pos
        for i, f in enumerate(fields):
            idx = line.find(f, cur - pos)
            if idx < 0:
                break
            if i < len(cols) and f:
                ent = value_entity(cols[i], f, names[i])
                if ent:
                    _add(out, ent, pos + idx, pos + idx + len(f), 0.75, "csv_column")
                elif versions[i]:
                    quiet.append((pos + idx, pos + idx + len(f)))
            cur = pos + idx + len(f)
        pos += len(line) + 1
    if quiet:
        out[:] = [f for f in out if f.entity_type != "IP_ADDRESS"
                  or not any(s <= f.start and f.end <= e for s, e in quiet)]


def _names(text: str, out: list) -> None:
    if ("<" in text or "(" in text) and ("@" in text or "%40" in text):
        for m in _EMAIL_NAME.finditer(text):
            if _name_shaped(m.group("n")):
                _add(out, "PERSON", m.start("n"), m.end("n"), 0.75, "name_before_email")
        for m in _QUOTED_NAME.finditer(text):
            if _name_shaped(m.group("n").replace(",", " ")):
                _add(out, "PERSON", m.start("n"), m.end("n"), 0.75, "name_before_email")
    for m in _CAP_RUN.finditer(text):
        toks = [(t.group(), m.start() + t.start(), m.start() + t.end())
                for t in re.finditer(r"\S+", m.group())]
        words = [t[0].lower().rstrip(".,") for t in toks]
        first = 0
        while first < len(toks) and words[first] in _CUE_WORDS:
            first += 1
        if all(w in NOT_NAMES for w in words[first:]):
            continue                               # "Internal Server Error": nothing to name
        cue: str | None | bool = False             # looked up on first need: it costs searches
        if first == 0 and words[0] in ("i'm", "i’m"):
            first, cue = 1, _cue(text, m.start(), False) or "weak"   # "I'm Jane Doe"
        i = first
        while i < len(toks):
            w = words[i]
            nxt = words[i + 1] if i + 1 < len(toks) else None
            ok_next = nxt is not None and nxt not in NOT_NAMES
            known = (w in FIRST_NAMES and ok_next) or (nxt in LAST_NAMES and w not in NOT_NAMES)
            if not known and i == first and cue is False and w not in NOT_NAMES and len(w) > 1 \
                    and ok_next:
                cue = _cue(text, m.start(), first > 0)
            by_cue = cue and i == first and w not in NOT_NAMES and len(w) > 1 and ok_next
            if not (known or by_cue):
                i += 1
                continue
            j = i + 1
            while j + 1 < len(toks) and words[j + 1] not in NOT_NAMES and j - i < 4:
                j += 1
            rec = "name_context"
            if not known:
                rec = _cue_span(cue, [t[0] for t in toks[i:j + 1]], words[i:j + 1])
            if rec:
                _add(out, "PERSON", toks[i][1], toks[j][2], 0.7 if rec == "name_context" else 0.5,
                     rec)
            i = j + 1
    for m in _POSSESSIVE.finditer(text) if "'s" in text or "’s" in text else ():
        n = m.group("n").lower()
        if n not in NOT_NAMES and n not in ORG_WORDS and n not in places.CITIES and \
                n not in NOT_FIRST:
            _add(out, "PERSON", m.start("n"), m.end("n"), 0.6, "name_possessive")
    if text.lower() == text or "ping" in text or "cc " in text or "@" in text or \
            "thanks" in text or "told" in text or "talk" in text:
        for m in _CHAT_NAME.finditer(text):
            n, n2 = m.group("n"), m.group("n2")
            if n in _CHAT_NOT_NAMES or n in NOT_NAMES or n in ORG_WORDS or n in COMMON_WORDS:
                continue                           # "ping ops", "thanks everyone", "ask legal"
            e = m.end("n2") if n2 and n2 not in _CHAT_NOT_NAMES and n2 not in NOT_NAMES and \
                n2 not in ORG_WORDS and n2 not in COMMON_WORDS else m.end("n")
            _add(out, "PERSON", m.start("n"), e, 0.55, "name_chat")
    # a single given name after a strong cue ("Dear Priya,", "Hi Tom")
    for rx in (_SINGLE_NAME, _SIGNOFF_NAME if "\n" in text else None, _TITLE_SURNAME):
        if rx is None:
            continue
        for m in rx.finditer(text):
            n = m.group("n").lower()
            if n not in NOT_NAMES and n.rstrip(".") not in _TITLES:
                _add(out, "PERSON", m.start("n"), m.end("n"), 0.6, "name_cue")


# how a capitalised run after a weak cue is treated (switches kept for the benchmark's variants)
WEAK_CUES = {"reject_org_words": True, "strong_org_words": True, "shape_confirms": True,
             "tentative": True, "kv_org_words": True, "model_org_words": True}
WEAK_CUE_REC = "name_weak_cue"            # a span the name model must confirm (engine.detect)


def _sentence_start(text: str, pos: int) -> bool:
    """Return True when ``pos`` opens a sentence, a line or a clause after a colon."""
    before = text[max(0, pos - 3):pos].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:\n"


def _cue(text: str, start: int, inside: bool) -> str | None:
    """Return "strong", "weak" or None: what kind of cue word stands before ``start``."""
    if inside:
        return "strong"                       # "Customer Jane Doe", "Dear Jane", "Dr. Jane Doe"
    lo = max(0, start - 40)
    if _STRONG_BEFORE.search(text, lo, start) or _PASSIVE_BY.search(text, max(0, start - 90),
                                                                       start):
        # a chat role label at a line start ("User: Can …") introduces a message, not a name
        return "weak" if _ROLE_LABEL.search(text, lo, start) else "strong"
    return "weak" if _WEAK_BEFORE.search(text, max(0, start - 24), start) else None


_ROLE_LABEL = re.compile(r"(?:^|\n)[ \t]*(?i:user|customer|client|assistant|system|agent)[ \t]*:"
                         r"[ \t]*$")
_INITIAL = re.compile(rf"[{_UP}]\.")
_INNER_APOSTROPHE = re.compile(rf"[{_UP}]['’][{_UP}]")
_CAP_HYPHEN = re.compile(rf"[{_UP}][{_LO}]+-[{_UP}][{_LO}]+")


def name_shape(tokens: list[str]) -> bool:
    """Return True for a phrase shaped like a person's name rather than a company or product.

    Particles (``van``, ``de``), inner apostrophes (``O'Brien``), capitalised hyphenated words
    (``Mbeki-Hart``), a middle initial (``Gustavo B. Brannagh``) or letters with diacritics
    (``Szczepański``) are rare in organisation, product and status names.
    """
    if len(tokens) < 2:
        return False
    if any(_INITIAL.fullmatch(t) for t in tokens[1:-1]):
        return True
    text = " ".join(tokens)
    return (any(t.lower() in _PARTICLE_SET for t in tokens[1:-1])
            or bool(_INNER_APOSTROPHE.search(text)) or bool(_CAP_HYPHEN.search(text))
            or any(not c.isascii() for c in text if c.isalpha()))


def org_like(words: list[str]) -> bool:
    """Return True when a capitalised phrase reads as an organisation, product, place or status."""
    words = [w.strip(".,'’!?").lower() for w in words]
    return words[-1] in ORG_WORDS or " ".join(words[-2:]) in PLACE_PHRASES or " ".join(
        words[-3:]) in PLACE_PHRASES


def _cue_span(cue: str | None, tokens: list[str], words: list[str]) -> str | None:
    """Return the recognizer for a name taken only because of a cue word, or None to drop it."""
    if cue == "strong":
        return None if WEAK_CUES["strong_org_words"] and org_like(words) else "name_context"
    if words[0] in NOT_FIRST or all(w.strip(".,'’!?").lower() in COMMON_WORDS for w in words):
        return None                                 # "by Signup Date", "I am Running Late"
    if WEAK_CUES["reject_org_words"] and org_like(words):
        return None
    if WEAK_CUES["shape_confirms"] and name_shape(tokens):
        return "name_context"
    return WEAK_CUE_REC if WEAK_CUES["tentative"] else "name_context"


def cased(words: list[str]) -> str:
    """Return a prefix-tree regex of ``words`` in lower, Capitalised and UPPER case.

    Faster than ``(?i:…)``, which keeps ``re`` from skipping ahead to a possible first letter.
    """
    return trie_pattern(sorted({v for w in words for v in (w, w[:1].upper() + w[1:], w.upper())}))


_SINGLE_NAME = re.compile(r"(?=[acdehmprstACDEHMPRST])\b(?:" + cased(
    sorted(_words("dear hi hello hey mr mr. mrs mrs. ms ms. dr dr. thanks thx ping cc ask tell "
                  "told call dm email message remind")) + ["thank you", "talk to", "talked to", "spoke to",
                                      "spoke with", "chat with", "chatted with", "met with"])
                          + r")[ \t]+"
                          rf"(?P<n>[{_UP}][{_LO}]+(?:-[{_UP}]?[{_LO}]+)?)(?![ \t]+[{_UP}]|[\w\-])")


_TITLES = _words("mr mrs ms mx dr prof sir madam miss mme mlle herr frau")
# a title before one capitalised word, particles allowed: "Mrs. Fairclough", "Mr. al-Hashimi"
_TITLE_SURNAME = re.compile(
    r"(?=[MDPSHF])(?<![\w.])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Miss|Mme|Mlle|Herr|Frau|Sir|Dame)\.?[ \t]+"
    rf"(?P<n>(?:{_PARTICLES}[ \t\-])*[{_UP}][{_LO}]+(?:['’\-][{_UP}]?[{_LO}]+)*)"
    rf"(?!['’\-]?[\w])")
# a lone given name signing off a message: "Thanks,\nMaria"
_SIGNOFF_NAME = re.compile(r"(?i:\b(?:thanks|thank you|cheers|regards|best|sincerely|yours))[,!.]?"
                           rf"[ \t]*\n[ \t]*(?P<n>[{_UP}][{_LO}]+(?:-[{_UP}]?[{_LO}]+)?)[ \t]*(?:\n|$)")


# a capitalised word owning a person's thing: "Dimitra's manager", "Okafor's laptop"
_POSSESSIVE = re.compile(
    rf"(?<![\w\-])(?P<n>[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?)['’]s[ \t]+(?:new[ \t]+|old[ \t]+)?"
    r"(?:manager|boss|wife|husband|partner|mother|mom|mum|father|dad|son|daughter|brother|"
    r"sister|colleague|team|account|laptop|phone|order|request|ticket|contract|appointment|"
    r"doctor|assistant|e-?mail|inbox|address|flight|visa|case|file|records?|review|leave|salary|"
    r"car|house|flat|birthday|payslip|badge|desk|calendar|password|card|refund|parcel|package|"
    r"delivery|invoice|subscription|mailbox|profile|replacement|onboarding|offboarding|"
    r"performance|promotion|complaint|claim|prescription|symptoms|condition|referral|results)\b")
# the chat cue words right before a lower-case name (a one-word lower-case name needs one)
CHAT_CUES = (r"ping|cc|thanks|thx|ty|ask|tell|told|talked to|talk to|spoke to|spoke with|"
             r"chatted with|met with|dm|call|remind|hey|hi|hello|@")
# lower-case names in chat after a cue: "ping bronislaw", "thanks kavya", "talked to seamus";
# never an everyday word ("cc number", "ping mark as resolved", "talked to seamus yesterday")
_CHAT_NAME = re.compile(
    r"(?:^|(?<=[\s,(]))(?:" + CHAT_CUES + r")[ \t]+"
    r"(?P<n>[a-zß-öø-ÿ][a-zß-öø-ÿ'\-]{1,20})(?:[ \t]+(?P<n2>[a-zß-öø-ÿ][a-zß-öø-ÿ'\-]{2,20}))?"
    r"(?![\w@/=\-])")
_CHAT_NOT_NAMES = _words("""me you him her them us everyone everybody all team the a an my our
your his their its it this that these those support ops sales legal hr finance oncall on-call
guys folks both again so for lot in advance man dude bro mate buddy someone anyone nobody
somebody people devs dev qa security infra admin admins mods mod channel group here there now
today tomorrow tonight later soon asap pls plz please to about re and or is was has had have said
says will would can could should may might must if when what why how who which where just back
too also know maybe ok okay yes no on at with from of by as up down out off over again then
than but not all any some every each other another more most less first last next new old good
great nice cool sure thanks thank sorry help me hello hi hey bye later morning evening night
much very really quite still even only ever never always already yet via per into onto upon
lunch dinner coffee call meeting standup sync review deploy release fix bug issue ticket pr
repo build pipeline logs log alert alerts page pager incident outage server service host db
database cache queue job jobs task tasks boss manager client clients customer customers user users
vendor vendors partner partners""")


def resolve(found: list[Finding]) -> list[Finding]:
    """Return findings without overlaps: higher score first, then the longer span."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


_HAS_DIGIT = re.compile(r"\d")


def _QUICK_ANCHOR(text: str) -> bool:
    """Return True when one of TRIGGER's single-character alternatives occurs (most log lines)."""
    return "=" in text or ":" in text or ">" in text or "@" in text
_CITY_HINT = re.compile(r"\b(?:in|to|from|near|at|visiting|around|outside|via|our)[ \t]+[A-ZÀ-ÖØ-ÞĀ-ſ]")


def scan(text: str) -> list[Finding]:
    """Return the PII findings in ``text`` (non-overlapping, ordered by position)."""
    if not text or not (_QUICK_ANCHOR(text) or _TRIGGER.search(text)):
        return []
    out: list[Finding] = []
    if "@" in text or "%40" in text or "%2540" in text:
        _emails(text, out)
    _secrets(text, out)
    _numbers(text, out)
    if _HAS_DIGIT.search(text):
        ids.find(text, out, _add)
        places.find(text, out, _add)
    _kv(text, out)
    lower = text.lower()
    if "user" in lower or "login" in lower or "sudo" in lower or "accepted " in lower or \
            "failed " in lower:
        _auth_users(text, out)
    if _CITY_HINT.search(text):
        places.cities(text, out, _add)
    if "\n" in text:
        _csv_block(text, out)
    _names(text, out)
    return resolve(out)
