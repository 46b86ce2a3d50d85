"""Value generators of columns of no catalog domain (``"?kind"`` in the specs): codes,
counters, hashes and look-alikes of real domains; the plain value pools are in the vocabulary."""
from __future__ import annotations

import string

from ._golden_gen import Gen, _digits, _letters, _lognum
from ._golden_vocab import vocab

CITIES = vocab()["cities"]


def _choices(pool: list[str]) -> Gen:
    return lambda rng, n, ctx: [rng.choice(pool) for _ in range(n)]


UNKNOWN_GEN: dict[str, Gen] = {kind: _choices(pool)
                               for kind, pool in vocab()["unknown_pools"].items()}
UNKNOWN_GEN.update({
    "zone_cd": lambda rng, n, ctx: [f"Z{rng.randint(1, 9)}" for _ in range(n)],
    "crc": lambda rng, n, ctx: [_letters(rng, 8, "0123456789abcdef") for _ in range(n)],
    "row_hash": lambda rng, n, ctx: [_letters(rng, 32, "0123456789abcdef") for _ in range(n)],
    "free_code": lambda rng, n, ctx: [
        rng.choice([f"{_letters(rng, 1)}{rng.randint(1, 99)}",
                    f"{_letters(rng, 2)}-{_letters(rng, 2)}",
                    f"{rng.randint(1, 9)}{_letters(rng, 2)}"]) for _ in range(n)],
    "cost_center": lambda rng, n, ctx: [f"{rng.choice(['4', '5', '6'])}{_digits(rng, 3)}0"
                                        for _ in range(n)],
    "retry_cnt": lambda rng, n, ctx: [str(min(9, int(rng.expovariate(0.8)))) for _ in range(n)],
    "sort_order": lambda rng, n, ctx: [str(10 * rng.randint(1, 40)) for _ in range(n)],
    "file_size": lambda rng, n, ctx: [str(int(_lognum(rng, 800, 4e7))) for _ in range(n)],
    "name_len": lambda rng, n, ctx: [str(rng.randint(3, 24)) for _ in range(n)],
    "fx_rate": lambda rng, n, ctx: [f"{rng.uniform(0.7, 1.6):.4f}" for _ in range(n)],
    "ticket_ref": lambda rng, n, ctx: [f"TCK-{rng.randint(10000, 99999)}" for _ in range(n)],
    "batch_token": lambda rng, n, ctx: [_letters(rng, 12, string.ascii_uppercase + "234567")
                                        for _ in range(n)],
    "mrn": lambda rng, n, ctx: [f"MRN{_digits(rng, 8)}" for _ in range(n)],
    "bp_systolic": lambda rng, n, ctx: [str(int(rng.gauss(128, 16))) for _ in range(n)],
    "bp_diastolic": lambda rng, n, ctx: [str(int(rng.gauss(80, 10))) for _ in range(n)],
    "heart_rate": lambda rng, n, ctx: [str(int(rng.gauss(76, 12))) for _ in range(n)],
    "temp_f": lambda rng, n, ctx: [f"{rng.gauss(98.4, 1.1):.1f}" for _ in range(n)],
    "tracking_no": lambda rng, n, ctx: [
        f"1Z{_letters(rng, 6, string.ascii_uppercase + string.digits)}{_digits(rng, 10)}"
        for _ in range(n)],
    "depot_name": lambda rng, n, ctx: [
        f"{rng.choice(CITIES['GB'])[0]} {rng.choice(['North', 'South', 'Hub', 'Cross-Dock', 'DC'])}"
        for _ in range(n)],
    "coupon": lambda rng, n, ctx: [rng.choice(["SUMMER", "WELCOME", "BF", "VIP", "FREESHIP"])
                                   + str(rng.randint(5, 30)) for _ in range(n)],
})
