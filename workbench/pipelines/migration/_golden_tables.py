"""The legacy tables of the golden set: which domains each holds, by country and header style,
and their assembly into labelled columns (values with mess, legacy headers, the odd comment)."""
from __future__ import annotations

import random
from collections import Counter

from ._golden_headers import legacy_header
from ._golden_values import GEN, generate, mess, parse_entry
from ._golden_vocab import vocab

_V = vocab()
COUNTRY_LANG, _COMMENTS, _HINTS = _V["country_lang"], _V["comments"], _V["hints"]

Row = tuple[str, str, tuple[str | None, ...], str, str]
"""A golden column as (table, column, values, domain, description)."""

# (table, country, header style, column prefix, share of opaque headers, columns); a column is a
# domain id, "?kind" for a column of no domain, or "domain=header" for a fixed look-alike header.
_TABLES: list[tuple[str, str, str, str, float, str]] = [
    ("CUST_MASTER", "US", "upper", "cust", 0.04,
     ("identifier.customer_id person.title person.first_name person.middle_name person.last_name "
     "person.birth_date person.gender identifier.national_id contact.email contact.phone "
     "contact.mobile address.street address.city address.state address.postal_code "
     "address.country_code datetime.created_at general.flag=email_sent ?phone_model ?name_len")),
    ("kunden", "DE", "snake", "k", 0.04,
     ("identifier.customer_id person.title person.first_name person.last_name person.birth_date "
     "address.street address.house_number address.postal_code address.city address.country "
     "contact.phone contact.fax contact.email general.language_code general.note "
     "datetime.updated_at ?name_len ?ticket_ref")),
    ("clients", "FR", "snake", "cli", 0.05,
     ("identifier.customer_id person.title person.last_name person.first_name person.birth_date "
     "person.nationality address.full_address address.postal_code address.city contact.mobile "
     "contact.email general.flag ?date_format")),
    ("clientes", "ES", "snake", "cli", 0.05,
     ("identifier.customer_id person.first_name person.last_name person.gender person.age "
     "address.street address.house_number address.postal_code address.city address.state "
     "contact.phone contact.email money.balance identifier.credit_card datetime.created_at")),
    ("cadastro_clientes", "PT", "snake", "", 0.05,
     ("identifier.customer_id person.full_name person.birth_date person.gender address.street "
     "address.house_number address.postal_code address.city contact.phone contact.mobile "
     "contact.email general.status ?free_code")),
    ("anagrafica_clienti", "IT", "upper", "", 0.05,
     ("identifier.customer_id person.last_name person.first_name person.birth_date person.gender "
     "address.full_address address.city address.postal_code contact.phone contact.email "
     "contact.website org.company_name")),
    ("klanten", "NL", "camel", "kl", 0.05,
     ("identifier.key person.first_name person.middle_name person.last_name address.street "
     "address.house_number address.postal_code address.city contact.mobile contact.email "
     "identifier.iban identifier.bic general.flag=name_changed")),
    ("tbl_orders", "US", "snake", "ord", 0.04,
     ("identifier.order_id identifier.customer_id datetime.created_at datetime.date general.status "
     "money.amount money.currency_code money.amount_minor money.tax_rate address.full_address "
     "network.ip_address identifier.credit_card ?retry_cnt")),
    ("ORDER_LINES", "GB", "upper", "", 0.04,
     ("identifier.key identifier.order_id identifier.sku product.name product.quantity money.price "
     "money.amount_minor money.tax_rate product.color ?sort_order ?batch_token")),
    ("bestellungen", "DE", "pascal", "best", 0.05,
     ("identifier.order_id identifier.customer_id datetime.date datetime.time_of_day money.amount "
     "money.currency_code general.status product.quantity general.note")),
    ("invoices", "GB", "snake", "inv", 0.04,
     ("identifier.invoice_number identifier.customer_id datetime.date money.amount money.balance "
     "money.currency_code identifier.vat_id identifier.iban identifier.bic general.status "
     "system.file_path datetime.year datetime.month ?crc")),
    ("payments", "US", "camel", "pay", 0.04,
     ("identifier.uuid identifier.invoice_number datetime.timestamp money.amount_minor "
     "money.currency_code identifier.credit_card identifier.account_number ?card_type ?mcc "
     "general.flag datetime.month ?fx_rate")),
    ("products", "US", "snake", "prod", 0.04,
     ("identifier.sku identifier.ean product.name product.category product.brand "
     "product.description money.price product.weight product.dimension product.color "
     "general.rating datetime.updated_at datetime.year ?sort_order")),
    ("artikelstamm", "DE", "upper", "art", 0.05,
     ("identifier.sku identifier.ean product.name product.category product.brand "
     "product.description product.weight product.dimension product.color money.price "
     "product.quantity money.tax_rate")),
    ("produits", "FR", "snake", "", 0.05,
     ("identifier.sku product.name product.description product.category money.price product.color "
     "product.brand general.percentage identifier.ean")),
    ("EMP", "US", "upper", "emp", 0.04,
     ("identifier.key person.first_name person.middle_name person.last_name person.birth_date "
     "person.gender identifier.national_id org.department org.job_title datetime.date "
     "money.amount general.percentage contact.email contact.phone account.username "
     "general.status")),
    ("mitarbeiter", "DE", "pascal", "ma", 0.05,
     ("identifier.key person.title person.first_name person.last_name person.birth_date "
     "person.nationality org.department org.job_title identifier.iban identifier.bic "
     "identifier.account_number identifier.passport address.full_address general.language_code "
     "datetime.created_at ?lang_level")),
    ("suppliers", "GB", "snake", "sup", 0.04,
     ("identifier.key org.company_name identifier.vat_id org.industry contact.website "
     "contact.phone "
     "contact.fax contact.email address.street address.city address.country address.country_code "
     "money.currency_code")),
    ("web_sessions", "US", "snake", "", 0.04,
     ("identifier.uuid network.ip_address network.user_agent datetime.timestamp datetime.duration "
     "account.username general.language_code geo.timezone geo.latitude geo.longitude ?crc")),
    ("app_users", "GB", "camel", "usr", 0.04,
     ("identifier.key account.username account.password_hash contact.email datetime.created_at "
     "datetime.updated_at datetime.timestamp general.flag geo.timezone general.language_code "
     "contact.social_handle network.user_agent general.flag=phone_verified ?row_hash")),
    ("filialen", "DE", "snake", "fil", 0.05,
     ("identifier.key org.company_name address.full_address address.city address.state "
     "geo.latitude geo.longitude geo.point geo.timezone datetime.time_of_day contact.phone")),
    ("shipments", "GB", "snake", "shp", 0.04,
     ("identifier.order_id datetime.date datetime.timestamp product.weight product.dimension "
     "address.postal_code address.country_code address.city general.status product.quantity "
     "geo.point datetime.duration ?zone_cd ?incoterm")),
    ("devices", "US", "pascal", "dev", 0.04,
     ("identifier.uuid network.mac_address network.ip_address system.version "
     "system.version=os_release account.username datetime.updated_at system.file_path "
     "geo.timezone datetime.duration ?phone_model ?color_depth")),
    ("reviews", "US", "snake", "rev", 0.04,
     ("identifier.key identifier.sku general.rating general.note datetime.created_at "
     "contact.social_handle general.flag network.user_agent general.language_code")),
    ("PATIENTS", "US", "upper", "pt", 0.04,
     ("identifier.key person.last_name person.first_name person.birth_date person.age "
     "person.gender identifier.national_id person.nationality product.weight product.dimension "
     "contact.phone identifier.passport ?blood_type ?icd10")),
    ("visitas", "ES", "snake", "vis", 0.05,
     ("identifier.key datetime.date datetime.time_of_day datetime.duration general.status "
     "general.note ?bp_systolic")),
    ("marketingLeads", "GB", "camel", "lead", 0.04,
     ("person.full_name contact.email contact.mobile contact.social_handle org.company_name "
     "org.job_title org.industry general.percentage general.rating general.language_code ?genre")),
    ("GL_LEDGER", "GB", "upper", "gl", 0.04,
     ("datetime.year datetime.month identifier.account_number money.balance money.amount "
     "money.currency_code money.tax_rate general.note ?fx_rate")),
    ("travellers", "GB", "snake", "", 0.05,
     ("person.full_name identifier.passport person.nationality person.birth_date address.country "
     "address.country_code datetime.date ?lang_level")),
    ("legacy_import_07", "US", "upper", "", 0.6,
     ("person.first_name contact.email datetime.date money.amount address.postal_code "
     "identifier.uuid general.flag network.ip_address network.mac_address account.password_hash "
     "?free_code ?retry_cnt ?date_format")),
    ("documents", "US", "snake", "doc", 0.04,
     ("identifier.uuid system.file_path system.version datetime.created_at datetime.updated_at "
     "account.username ?file_size ?row_hash ?color_depth")),
    ("umfrage", "DE", "snake", "", 0.05,
     ("identifier.key general.rating general.percentage person.age person.gender "
     "general.language_code general.note datetime.timestamp datetime.month")),
    ("geo_locations", "NL", "snake", "", 0.05,
     ("identifier.key geo.point geo.latitude geo.longitude geo.timezone address.country_code "
     "address.city ?zone_cd")),
    ("crm_accounts", "US", "snake", "acc", 0.04,
     ("identifier.customer_id org.company_name contact.website org.industry address.full_address "
     "general.status identifier.vat_id money.balance datetime.updated_at ?ticket_ref")),
    ("fornitori", "IT", "upper", "forn", 0.05,
     ("org.company_name identifier.vat_id address.street address.city address.postal_code "
     "contact.phone contact.fax contact.email identifier.iban org.industry")),
    ("encomendas", "PT", "snake", "enc", 0.05,
     ("identifier.order_id datetime.date money.amount money.currency_code general.status "
     "product.quantity identifier.sku")),
    ("netz_geraete", "DE", "upper", "", 0.05,
     ("identifier.key network.mac_address network.ip_address system.version org.department "
     "datetime.updated_at ?crc")),
    ("usuarios", "ES", "snake", "usu", 0.05,
     ("account.username account.password_hash contact.email datetime.created_at general.flag "
     "general.status ?customer_group")),
]


def _table(name: str, country: str, style: str, prefix: str, opaque: float) -> dict:
    return {"name": name, "country": country, "lang": COUNTRY_LANG[country], "style": style,
            "prefix": prefix, "opaque": opaque}


def _table_columns(seed: int, spec: dict, entries: list[str]) -> list[Row]:
    name = spec["name"]
    n = random.Random(f"golden|{seed}|{name}").randint(40, 120)
    seen: set[str] = set()
    out = []
    for i, text in enumerate(entries):
        rng = random.Random(f"golden|{seed}|{name}|{i}|{text}")
        domain, kind, forced = parse_entry(text)
        ctx = {"country": spec["country"], "lang": spec["lang"]}
        values = mess(rng, generate(rng, domain, kind, n, ctx), domain)
        header = forced or legacy_header(rng, domain, kind, spec, i)
        base, k = header, 2
        while header.lower() in seen:
            header, k = f"{base}{k}", k + 1
        seen.add(header.lower())
        description = ""
        if rng.random() < 0.1:
            description = rng.choice(_HINTS.get(domain, []) + _COMMENTS)
        out.append((name, header, values, domain, description))
    return out


def column_rows(seed: int) -> list[Row]:
    """Return the columns of the tables, then extracts that bring every domain to three.

    >>> rows = column_rows(7)
    >>> rows[0][:2], rows[0][3]
    (('CUST_MASTER', 'CUST_KEY'), 'identifier.customer_id')
    """
    cols: list[Row] = []
    for name, country, style, prefix, opaque, entries in _TABLES:
        cols += _table_columns(seed, _table(name, country, style, prefix, opaque), entries.split())
    counts = Counter(c[3] for c in cols)
    missing = [d for d in sorted(GEN) for _ in range(3 - counts[d])]
    for i in range(0, len(missing), 8):
        spec = _table(f"legacy_extract_{i // 8 + 1:02d}", "GB", "snake", "", 0.3)
        cols += _table_columns(seed, spec, missing[i:i + 8])
    return cols
