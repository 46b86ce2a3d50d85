"""National IDs, national phone formats, postal addresses, more secret providers, log usernames."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from workbench.pii import detect, validators
from workbench.pii.scanner import trie_pattern

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


AGE = "AGE-SECRET-KEY-1" + "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L" + "QPZRY9X8GF2TVDW0S3JN54KHCE"


def found(text: str) -> dict[str, str]:
    """Return {value: entity type} of the findings in ``text``."""
    return {text[f.start:f.end]: f.entity_type for f in detect(text)}


@pytest.mark.parametrize("text, value", [
    ("NHS number 943 476 5919 on file", "943 476 5919"),
    ("CPF 529.982.247-25", "529.982.247-25"),                       # shape alone would do
    ("titular DNI 12345678Z", "12345678Z"),
    ("cf=RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ("codice fiscale RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ("BSN: 111222333", "111222333"),
    ("PESEL 44051401359", "44051401359"),
    ("personnummer 811228-9874", "811228-9874"),
    ("SIN 046 454 286", "046 454 286"),
    ("TFN 123 456 782", "123 456 782"),
    ("hetu 131052-308T", "131052-308T"),
    ("rijksregisternummer 85.07.30-033.28", "85.07.30-033.28"),
    ("Steuer-ID 86095742719", "86095742719"),
    ("steuer_id=86 095 742 719 status=ok", "86 095 742 719"),
    ("NI number AB 12 34 56 C", "AB 12 34 56 C"),
    ('{"passport_number": "X1234567"}', "X1234567"),
    ("id;national_id\n7;811228-9874", "811228-9874"),
])
def test_national_ids(text: str, value: str) -> None:
    assert found(text).get(value) == "NATIONAL_ID", found(text)


@pytest.mark.parametrize("text", [
    "NHS number 943 476 5918",              # check digit wrong
    "PESEL 44051401358",
    "order 111222334 shipped",
    "invoice 44051401359 paid",             # a valid PESEL shape, but no cue: an invoice number
    "codice fiscale RSSMRA85T10A562X",
    "ticket 12345678A closed",              # DNI letter wrong
])
def test_national_id_negatives(text: str) -> None:
    assert "NATIONAL_ID" not in found(text).values(), found(text)


def test_generated_ids_pass_their_checks() -> None:
    from pii_values import Values

    g = Values(7)
    for kind in ("uk_nhs", "fr_nir", "es_dni", "es_nie", "it_cf", "nl_bsn", "pl_pesel",
                 "se_pnr", "fi_hetu", "be_nn", "ca_sin", "in_aadhaar", "br_cpf", "de_taxid",
                 "au_tfn", "uk_nino"):
        for _ in range(20):
            _, val = g.national_id(kind)
            assert "NATIONAL_ID" in {f.entity_type for f in detect(f"national id {val}")}, val


def test_verhoeff() -> None:
    assert validators.verhoeff_ok("2363") and not validators.verhoeff_ok("2364")


@pytest.mark.parametrize("text, value", [
    ("Call me on 020 7946 0958 tomorrow", "020 7946 0958"),
    ("Rufnummer: 030 901820", "030 901820"),
    ("tél. 01 23 45 67 89", "01 23 45 67 89"),
    ("WhatsApp +55 11 91234-5678", "+55 11 91234-5678"),
    ("mobile +81 90-1234-5678", "+81 90-1234-5678"),
])
def test_phones(text: str, value: str) -> None:
    assert found(text).get(value) == "PHONE_NUMBER", found(text)


@pytest.mark.parametrize("text", [
    "token expired at 2026-04-15 21:31:24,869",
    "released 020 7946 0958 units",          # national shape, no phone cue
    "build 2024.03.1 took 1534 ms",
])
def test_phone_negatives(text: str) -> None:
    assert "PHONE_NUMBER" not in found(text).values(), found(text)


@pytest.mark.parametrize("text, value", [
    ("Ship to 1420 Maple Avenue, Apt 3B, Springfield, IL 62704 please",
     "1420 Maple Avenue, Apt 3B, Springfield, IL 62704"),
    ("Flat 3, 14 Rosebery Road, Bristol BS6 5RB", "Flat 3, 14 Rosebery Road, Bristol BS6 5RB"),
    ("Lieferadresse: Lindenallee 5a, 80331 München", "Lindenallee 5a, 80331 München"),
    ("Adresse : 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris"),
    ('{"city": "Porto Alegre"}', "Porto Alegre"),
    ('address="742 Evergreen Terrace"', "742 Evergreen Terrace"),
    ("She moved to Manchester last year.", "Manchester"),
])
def test_addresses_and_places(text: str, value: str) -> None:
    assert found(text).get(value) == "LOCATION", found(text)


@pytest.mark.parametrize("text", [
    "listening on 0.0.0.0:8080",
    "mac_address=00:1A:2B:3C:4D:5E",
    "GET /api/v2/orders/88412?page=2 HTTP/1.1 200 512",
    "Processed 3 Steps in 20 Minutes",
])
def test_location_negatives(text: str) -> None:
    assert "LOCATION" not in found(text).values(), found(text)


@pytest.mark.parametrize("text, value, entity", [
    ("export SOPS_AGE_KEY=" + AGE, AGE, "PRIVATE_KEY"),
    ("use dp.pt.PLJ2U952mLBA9GFhX5oGI5QhyPY3Stsv5OGWQe5iApj in CI",
     "dp.pt.PLJ2U952mLBA9GFhX5oGI5QhyPY3Stsv5OGWQe5iApj", "API_KEY"),
    ("token PMAK-8da1dc73b39c37f94c47dd49-4d9b22cf67c4b171b3535d259557acbb1b",
     "PMAK-8da1dc73b39c37f94c47dd49-4d9b22cf67c4b171b3535d259557acbb1b", "API_KEY"),
    ("vault hvs.CAESIJ0aWlkZnRvbGZrZXlfaWRfZm9vYmFyYmF6cXV4", "hvs.CAESIJ0aWlkZnRvbGZrZXlfaWRfZm9vYmFyYmF6cXV4",
     "AUTH_TOKEN"),
    ("mysql --user=jdoe42 --password=S3cr3t!pass app", "S3cr3t!pass", "PASSWORD"),
    ("mysql --user=jdoe42 --password=S3cr3t!pass app", "jdoe42", "USERNAME"),
])
def test_more_secrets(text: str, value: str, entity: str) -> None:
    assert found(text).get(value) == entity, found(text)


@pytest.mark.parametrize("text, value", [
    ("sshd[811]: Accepted publickey for maria.lopez from 10.0.0.9 port 5122 ssh2", "maria.lopez"),
    ("sshd[811]: Failed password for invalid user jdoe42 from 10.0.0.9", "jdoe42"),
    ("AUDIT action=refund.approve approver=hsuarez amount=12", "hsuarez"),
])
def test_log_usernames(text: str, value: str) -> None:
    assert found(text).get(value) == "USERNAME", found(text)


def test_generic_accounts_are_not_usernames() -> None:
    assert "default" not in found("redis://default:hunter2hunter@cache:6379/0")
    assert found("redis://default:hunter2hunter@cache:6379/0").get("hunter2hunter") == "PASSWORD"


@pytest.mark.parametrize("text, name", [
    ("Dear Mrs. Fairclough, thank you", "Fairclough"),
    ("Performance review: Dimitra's manager is away", "Dimitra"),
    ("ping bronislaw to check the logs?", "bronislaw"),
])
def test_names_after_titles_possessives_and_chat_cues(text: str, name: str) -> None:
    assert found(text).get(name) == "PERSON", found(text)


def test_titles_alone_are_not_names() -> None:
    assert "Mrs" not in found("Dear Mrs. Fairclough, thank you")


def test_trie_pattern_matches_like_a_flat_alternation() -> None:
    rnd = random.Random(3)
    words = sorted({"".join(rnd.choice("abc_-.") for _ in range(rnd.randint(1, 5)))
                    for _ in range(60)})
    tree = re.compile("(?=(" + trie_pattern(words) + "))")
    for _ in range(300):
        text = "".join(rnd.choice("abcx_-.") for _ in range(30))
        want = {i for i in range(len(text)) if any(text.startswith(w, i) for w in words)}
        assert {m.start() for m in tree.finditer(text)} == want


def test_report_vocabulary_is_held_out() -> None:
    """The reported sets' names and places are in no gazetteer and no training data."""
    import pii_train_prose
    import pii_vocab

    from workbench.pii import names, places

    held = pii_vocab.report_only_words()
    gazetteers = set(names.FIRST_NAMES) | set(names.LAST_NAMES) | {
        w for c in places.CITIES for w in c.split()}
    assert not held & gazetteers
    g = pii_train_prose.TrainGen(1)
    trained = {w.lower() for seq in (g.given_pool, g.family_pool, g.city_pool) for v in seq
               for w in v.replace("-", " ").split()}
    assert not held & trained
    for row in pii_train_prose.build(400, 3) + pii_train_prose.old_rows(200, 4):
        assert not {w.lower() for w in re.findall(r"[^\W\d_]+", row["text"])} & held, row


def test_evaluation_sets_are_deterministic_and_aligned() -> None:
    import pii_evalsets

    for kind in pii_evalsets.KINDS:
        a = pii_evalsets.build(kind, 80, 5, "report")
        assert a == pii_evalsets.build(kind, 80, 5, "report")
        assert sum(not r["spans"] for r in a) >= 10          # hard negatives
        for r in a:
            for s, e, _ in r["spans"]:
                assert 0 <= s < e <= len(r["text"]) and r["text"][s:e].strip() == r["text"][s:e]
