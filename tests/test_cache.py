"""The DuckDB key-value cache: keys, namespaces, TTL, LRU eviction under the size cap, stats."""
from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta

import pytest

from workbench import cache, config, store


@pytest.fixture
def settings(tmp_path):
    return config.load(tmp_path)


def test_cache_key_hashes_every_part_in_order():
    k = cache.cache_key("model", {"b": 1, "a": 2}, "prompt")
    assert k == cache.cache_key("model", {"a": 2, "b": 1}, "prompt")  # dict order is not an input
    assert k != cache.cache_key("model", {"a": 2, "b": 1}, "prompt2")
    assert k != cache.cache_key("prompt", {"a": 2, "b": 1}, "model")
    assert len(k) == 64


def test_put_get_roundtrip_and_hits(settings):
    cache.put("ns", "k1", {"answer": [1, 2, "x"]}, settings=settings)
    assert cache.get("ns", "k1", settings=settings) == {"answer": [1, 2, "x"]}
    assert cache.get("ns", "k1", settings=settings) == {"answer": [1, 2, "x"]}
    assert cache.get("ns", "missing", "dflt", settings=settings) == "dflt"
    with store.connect(settings) as con:
        hits = con.execute("SELECT hits FROM cache WHERE key = 'k1'").fetchone()[0]
    assert hits == 2


def test_namespaces_are_separate(settings):
    cache.put("a", "same", 1, settings=settings)
    cache.put("b", "same", 2, settings=settings)
    assert cache.get("a", "same", settings=settings) == 1
    assert cache.get("b", "same", settings=settings) == 2
    assert cache.clear("a", settings=settings) == 1
    assert cache.get("a", "same", settings=settings) is None
    assert cache.get("b", "same", settings=settings) == 2
    assert cache.delete("b", "same", settings=settings) is True
    assert cache.delete("b", "same", settings=settings) is False


def test_ttl_expiry(settings, monkeypatch):
    clock = [datetime(2026, 1, 1, 12, 0, 0)]
    monkeypatch.setattr(cache, "_now", lambda: clock[0])  # a controlled clock: no sleeping
    cache.put("ns", "short", "v", ttl_s=5, settings=settings)
    cache.put("ns", "long", "v", ttl_s=3600, settings=settings)
    cache.put("ns", "forever", "v", settings=settings)
    assert cache.get("ns", "short", settings=settings) == "v"
    clock[0] += timedelta(seconds=6)
    assert cache.get("ns", "short", settings=settings) is None
    assert cache.get("ns", "long", settings=settings) == "v"
    assert cache.stats(settings=settings)["expired"] == 1
    assert cache.evict(settings=settings) == 1  # under the cap: only the expired row goes
    clock[0] += timedelta(days=365)
    assert cache.get("ns", "long", settings=settings) is None
    assert cache.get("ns", "forever", settings=settings) == "v"


def test_size_cap_evicts_least_recently_used(tmp_path):
    value = "x" * 1000
    probe = config.load(tmp_path)
    size = cache.put("ns", "probe", value, settings=probe)
    cache.clear(settings=probe)
    settings = dataclasses.replace(probe, cache_max_bytes=size * 5)
    for i in range(5):
        cache.put("ns", f"k{i}", value, settings=settings)
        time.sleep(0.002)
    assert cache.stats(settings=settings)["entries"] == 5
    # use k0 and k1, so k2 is now the least recently used
    assert cache.get("ns", "k0", settings=settings) == value
    assert cache.get("ns", "k1", settings=settings) == value
    cache.put("ns", "k5", value, settings=settings)  # over the cap: evict down to 90% of it
    left = {k for k in ("k0", "k1", "k2", "k3", "k4", "k5")
            if cache.get("ns", k, settings=settings) is not None}
    assert left == {"k0", "k1", "k4", "k5"}
    assert cache.stats(settings=settings)["bytes"] <= settings.cache_max_bytes


def test_eviction_drops_expired_first(tmp_path):
    probe = config.load(tmp_path)
    size = cache.put("ns", "probe", "y" * 500, settings=probe)
    cache.clear(settings=probe)
    settings = dataclasses.replace(probe, cache_max_bytes=size * 3)
    cache.put("ns", "old", "y" * 500, settings=settings)
    cache.put("ns", "dying", "y" * 500, ttl_s=0.01, settings=settings)
    cache.put("ns", "mid", "y" * 500, settings=settings)
    time.sleep(0.05)
    cache.put("ns", "new", "y" * 500, settings=settings)
    assert cache.get("ns", "old", settings=settings) is not None  # the expired row made room
    assert cache.get("ns", "dying", settings=settings) is None


def test_explicit_evict_to_a_size(settings):
    for i in range(4):
        cache.put("ns", f"k{i}", "z" * 100, settings=settings)
        time.sleep(0.002)
    removed = cache.evict(max_bytes=0, settings=settings)
    assert removed == 4
    assert cache.stats(settings=settings)["entries"] == 0


def test_stats_per_namespace(settings):
    cache.put("a", "1", "v", settings=settings)
    cache.put("a", "2", "v", settings=settings)
    cache.put("b", "1", "v", settings=settings)
    cache.get("a", "1", settings=settings)
    s = cache.stats(settings=settings)
    assert s["entries"] == 3 and s["hits"] == 1
    assert s["namespaces"]["a"]["entries"] == 2 and s["namespaces"]["b"]["hits"] == 0
    assert s["max_bytes"] == settings.cache_max_bytes
    assert cache.stats("b", settings=settings)["entries"] == 1


def test_shared_connection(settings):
    with store.connect(settings) as con:
        cache.put("ns", "k", {"v": 1}, settings=settings, con=con)
        assert cache.get_many("ns", ["k", "nope"], con=con) == {"k": {"v": 1}}
    assert cache.get("ns", "k", settings=settings) == {"v": 1}


def test_put_many_in_one_statement(settings):
    cache.put("ns", "k1", "old", settings=settings)
    n = cache.put_many("ns", [("k1", {"v": 1}), ("k2", [1, 2]), ("k2", [3])], ttl_s=60,
                       settings=settings)
    assert n == 3
    assert cache.get_many("ns", ["k1", "k2"], settings=settings) == {"k1": {"v": 1}, "k2": [3]}
    assert cache.stats("ns", settings=settings)["entries"] == 2
