"""Each entity type is found where logs, URLs, JSON, CSV and headers carry it; hard negatives not."""
from __future__ import annotations

import pytest

from workbench.pii import detect

# (text, entity type, exact value that must be found)
POSITIVES = [
    ("login ok for alice.smith@example.com", "EMAIL_ADDRESS", "alice.smith@example.com"),
    ("user=bob@corp.io status=200", "EMAIL_ADDRESS", "bob@corp.io"),
    ("GET /reset?email=carol%40mail.example.org&x=1", "EMAIL_ADDRESS", "carol%40mail.example.org"),
    ("redirect=%2Fx%3Femail%3Ddave%2Bx%2540ex.com", "EMAIL_ADDRESS", "dave%2Bx%2540ex.com"),
    ("mailto:erin@example.net", "EMAIL_ADDRESS", "erin@example.net"),
    ("call (415) 555-0123 now", "PHONE_NUMBER", "(415) 555-0123"),
    ("phone=415.555.0199", "PHONE_NUMBER", "415.555.0199"),
    ("tel:+1-212-555-0147", "PHONE_NUMBER", "+1-212-555-0147"),
    ("contact +44 20 7946 0958 today", "PHONE_NUMBER", "+44 20 7946 0958"),
    ("mobile: +49 30 12345678", "PHONE_NUMBER", "+49 30 12345678"),
    ('{"phone": "6175550123"}', "PHONE_NUMBER", "6175550123"),
    ("card 4111 1111 1111 1111 charged", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("pan=5555555555554444", "CREDIT_CARD", "5555555555554444"),
    ("amex 3782-822463-10005", "CREDIT_CARD", "3782-822463-10005"),
    ("mc2 2223003122003222 ok", "CREDIT_CARD", "2223003122003222"),
    ("visa19 4111111111111111110", "CREDIT_CARD", "4111111111111111110"),
    ("ssn 536-22-1234 on file", "US_SSN", "536-22-1234"),
    ("iban DE89 3704 0044 0532 0130 00 paid", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    ("to GB82WEST12345698765432.", "IBAN_CODE", "GB82WEST12345698765432"),
    ("src=203.0.113.45:443", "IP_ADDRESS", "203.0.113.45"),
    ("client 2001:db8:85a3::8a2e:370:7334 connected", "IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334"),
    ("name=Jane Doe action=login", "PERSON", "Jane Doe"),
    ('{"applicant": "Rosa Okafor", "amount": 12}', "PERSON", "Rosa Okafor"),
    ('{"first_name": "Tomasz", "last_name": "Wrobel"}', "PERSON", "Wrobel"),
    ("From: Priya Raman <priya@example.com>", "PERSON", "Priya Raman"),
    ("GET /search?applicant=Lena+Virtanen&page=2", "PERSON", "Lena+Virtanen"),
    ("ticket reassigned to Michael Brown by ops", "PERSON", "Michael Brown"),
    ("Hello Bettina N. Underhill, your ticket", "PERSON", "Bettina N. Underhill"),
    ("The meeting with Siobhan O'Connor ran long.", "PERSON", "Siobhan O'Connor"),
    ("Customer Xolani Brevik called", "PERSON", "Xolani Brevik"),
    ("id,customer_name,total\n1,Aroha Ngata,12.50", "PERSON", "Aroha Ngata"),
    ("https://jdoe:hunter2pass@db.example.com:5432/app", "PASSWORD", "hunter2pass"),
    ("https://jdoe:hunter2pass@db.example.com:5432/app", "USERNAME", "jdoe"),
    ("user=svc_backup action=sync", "USERNAME", "svc_backup"),
    ("aws_access_key_id=AKIAIOSFODNN7EXAMPLE", "CLOUD_KEY", "AKIAIOSFODNN7EXAMPLE"),
    ("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "CLOUD_KEY",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("key=AIzaSyD3xAmPlE0123456789abcdefghijklmno", "CLOUD_KEY",
     "AIzaSyD3xAmPlE0123456789abcdefghijklmno"),
    ("Authorization: token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", "API_KEY",
     "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"),
    ("SLACK=xoxb-1234567890-abcdefghijklmnop", "API_KEY", "xoxb-1234567890-abcdefghijklmnop"),
    ("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "API_KEY",
     "sk-proj-abcdefghijklmnopqrstuvwxyz012345"),
    ("git remote glpat-abcdefghijklmnopqrst12", "API_KEY", "glpat-abcdefghijklmnopqrst12"),
    ("api_key=9f8e7d6c5b4a39281706", "API_KEY", "9f8e7d6c5b4a39281706"),
    ("Authorization: Bearer 8a7b6c5d4e3f2a1b0c9d8e7f", "AUTH_TOKEN", "8a7b6c5d4e3f2a1b0c9d8e7f"),
    ("password=Sup3r-Secret!", "PASSWORD", "Sup3r-Secret!"),
    ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl done", "JWT",
     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl"),
]

PEM = ("cfg:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn\n"
       "q2w3e4r5t6y7u8i9o0p\n-----END RSA PRIVATE KEY-----\nnext line")

NEGATIVES = [
    "2024-03-05T10:15:30.123+01:00 INFO request done in 1534 ms",
    "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
    "request 123e4567-e89b-12d3-a456-426614174000 accepted",
    "sha256=9b74c9897bac770ffc029102a200c5de4bb4a9c0b1b3c2b5b8d0a5a1f1c2d3e4",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "version=10.2.3.4 build 2024.03.1 v1.2.3.4",
    "order ORD-2024-0004512 invoice INV-88412397 total 1534.20",
    "status=503 size=40960 bytes duration=1.254s",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36",
    "GET https://api.example.com/v2/orders/88412?page=2 HTTP/1.1",
    "epoch=1709633730 ms=1709633730123",
    "mac 00:1A:2B:3C:4D:5E at 12:30:45",
    "max_tokens=1024 total_tokens=2048 token_count=5",
    "user_agent=curl/8.4.0 user_id=48213",
    "password=******** token=<AUTH_TOKEN_3f9a1c>",
    "icon@2x.png and pkg@1.2.3",
    "New York Internal Server Error",
    "order_id=6722682014033 ref 4111111111111111x",
    "deployed to Google Cloud by Jenkins Pipeline",
]


@pytest.mark.parametrize(("text", "entity", "value"), POSITIVES)
def test_finds_entity(text, entity, value):
    found = [(f.entity_type, text[f.start:f.end]) for f in detect(text)]
    assert (entity, value) in found, found


def test_pem_private_key_multiline():
    found = detect(PEM)
    assert [f.entity_type for f in found] == ["PRIVATE_KEY"]
    span = PEM[found[0].start:found[0].end]
    assert span.startswith("-----BEGIN RSA") and span.endswith("PRIVATE KEY-----")


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_hard_negatives_alone(text):
    assert [(f.entity_type, text[f.start:f.end]) for f in detect(text)] == []


def test_user_prefix_not_swallowed_and_no_url_hit_inside_email():
    text = "user=alice@example.com"
    (f,) = detect(text)
    assert text[f.start:f.end] == "alice@example.com"


def test_invalid_checksums_rejected():
    assert detect("card 4111 1111 1111 1112") == []           # Luhn fails
    assert detect("iban DE89 3704 0044 0532 0130 01") == []   # mod-97 fails
    assert detect("ssn 000-12-3456 and 666-12-3456") == []


def test_finding_fields():
    (f,) = detect("x 10.1.2.3")
    assert (f.entity_type, f.start, f.end, f.recognizer) == ("IP_ADDRESS", 2, 10, "ipv4")
    assert 0 < f.score <= 1
