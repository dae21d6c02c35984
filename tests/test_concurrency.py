"""Checks from several threads at once, and no process-wide state left changed.

factcheck runs inside other programs: two checks may overlap in one process,
and after any call, returned or raised, the host's BLAS thread counts, torch's
thread counts (its own and the default for new threads) and its environment
must be what they were.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController, threadpool_info

import factcheck
from factcheck import _threads, embedding, similarity
from factcheck.clustering import HandSetEventClusterer
from factcheck.embedding import HashingEmbedder, SentenceTransformerEmbedder
from factcheck.similarity import PairSet

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

# Small blocks, so that the similarity core runs several blocks on worker threads.
FAST = factcheck.Checker(embedder=HashingEmbedder(), block_size=16)


def _torch_threads() -> tuple[int, int]:
    """torch's thread count in this thread, and in a thread started now."""
    import torch

    found: dict[str, int] = {}
    thread = threading.Thread(target=lambda: found.setdefault("n", torch.get_num_threads()))
    thread.start()
    thread.join()
    return torch.get_num_threads(), found["n"]


def process_state() -> dict[str, Any]:
    """Everything a factcheck call must leave as it found it.

    Thread pools are keyed by library file; a library first loaded during a
    call (a lazy import) is not a change to the host's settings, so tests
    compare the pools both snapshots know (see :func:`same_state`).
    """
    torch = _torch_threads()
    return {
        "threadpools": {
            i["filepath"]: (i["user_api"], i["num_threads"]) for i in threadpool_info()
        },
        "torch": torch,
        "environ": dict(os.environ),
    }


def same_state(before: dict[str, Any]) -> None:
    after = process_state()
    assert after["environ"] == before["environ"]
    assert after["torch"] == before["torch"]
    known = before["threadpools"]
    assert {k: v for k, v in after["threadpools"].items() if k in known} == known


@pytest.fixture
def host_blas() -> Iterator[int]:
    """The host's process-wide BLAS pools at 2 threads (not 1, so a leak would show)."""
    libs = [
        lib
        for lib in ThreadpoolController().select(user_api="blas").lib_controllers
        if not _threads._per_thread(lib)
    ]
    if not libs:
        pytest.skip("no process-wide BLAS library is loaded")
    before = [lib.get_num_threads() for lib in libs]
    for lib in libs:
        lib.set_num_threads(2)
        _threads._release(lib)
    if any(lib.get_num_threads() != 2 for lib in libs):
        pytest.skip("this BLAS cannot run 2 threads here")
    yield 2
    for lib, n in zip(libs, before, strict=True):
        lib.set_num_threads(n)
        _threads._release(lib)


def _process_wide_blas() -> list[int]:
    return [
        lib.get_num_threads()
        for lib in ThreadpoolController().select(user_api="blas").lib_controllers
        if not _threads._per_thread(lib)
    ]


def _run_threads(*targets: Callable[[], object]) -> list[object]:
    """Run each target in its own thread, all released at once; results or exceptions."""
    start = threading.Barrier(len(targets))
    results: list[object] = [None] * len(targets)

    def run(k: int) -> None:
        start.wait()
        try:
            results[k] = targets[k]()
        except BaseException as exc:
            results[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---------------------------------------------------------------------------
# The BLAS limit itself

# Orders in which two overlapping calls enter and leave: each item is
# (call, "enter" or "leave").
INTERLEAVINGS = [
    [(0, "enter"), (1, "enter"), (0, "leave"), (1, "leave")],  # first in, first out
    [(0, "enter"), (1, "enter"), (1, "leave"), (0, "leave")],  # nested
    [(0, "enter"), (0, "leave"), (1, "enter"), (1, "leave")],  # one after the other
]


@pytest.mark.parametrize("order", INTERLEAVINGS, ids=["fifo", "nested", "sequential"])
@pytest.mark.parametrize("raises", [False, True], ids=["returns", "raises"])
def test_overlapping_blas_limits_restore_the_exact_count(
    host_blas: int, order: list[tuple[int, str]], raises: bool
) -> None:
    """Two threads inside the BLAS limit at once, entering and leaving in a forced
    order: inside, BLAS runs one thread; after the last leaves, the host's count
    is back (threadpool_limits contexts restore 1 here in the fifo order)."""
    steps = [threading.Event() for _ in order]
    done = [threading.Event() for _ in order]
    inside: list[list[int]] = [[], []]

    def call(k: int) -> None:
        mine = [i for i, (who, _) in enumerate(order) if who == k]
        steps[mine[0]].wait()
        try:
            with _threads.single_threaded_blas():
                inside[k] = _process_wide_blas()
                done[mine[0]].set()
                steps[mine[1]].wait()
                if raises and k == 0:
                    raise RuntimeError("fails inside")
        except RuntimeError:
            pass
        done[mine[1]].set()

    threads = [threading.Thread(target=call, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for i in range(len(order)):
        steps[i].set()
        assert done[i].wait(10)
    for thread in threads:
        thread.join()
    assert inside[0]
    assert all(n == 1 for n in inside[0] + inside[1])
    assert _process_wide_blas() == [host_blas] * len(inside[0])


def test_a_count_the_host_sets_during_a_call_is_kept(host_blas: int) -> None:
    with _threads.single_threaded_blas():
        libs = [
            lib
            for lib in ThreadpoolController().select(user_api="blas").lib_controllers
            if not _threads._per_thread(lib)
        ]
        for lib in libs:
            lib.set_num_threads(3 if host_blas != 3 else 4)
            _threads._release(lib)
        host = _process_wide_blas()
    assert _process_wide_blas() == host


def test_similarity_from_two_threads_equals_one_thread_and_leaves_blas(host_blas: int) -> None:
    rng = np.random.default_rng(7)
    emb = similarity.normalize_rows(rng.standard_normal((600, 24)).astype(np.float32))
    groups = np.repeat(np.arange(20), 30)

    def topk() -> similarity.TopK:
        return similarity.cross_document_topk(emb, groups, k=5, block_size=64, workers=2)

    def pairs() -> PairSet:
        return similarity.cross_document_pairs(emb, groups, threshold=0.3, block_size=64, workers=2)

    want_topk, want_pairs = topk(), pairs()
    for _ in range(5):
        got = _run_threads(topk, pairs, topk, pairs)
        for result in got[::2]:
            assert isinstance(result, similarity.TopK)
            np.testing.assert_array_equal(result.indices, want_topk.indices)
            np.testing.assert_array_equal(result.scores, want_topk.scores)
        for result in got[1::2]:
            assert isinstance(result, PairSet)
            np.testing.assert_array_equal(result.rows, want_pairs.rows)
            np.testing.assert_array_equal(result.scores, want_pairs.scores)
        assert _process_wide_blas()
        assert set(_process_wide_blas()) == {host_blas}


def test_similarity_that_raises_inside_the_limit_restores_blas(
    host_blas: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    emb = similarity.normalize_rows(rng.standard_normal((300, 16)).astype(np.float32))
    groups = np.repeat(np.arange(10), 30)
    real = similarity._collect_topk
    calls = {"n": 0}

    def failing(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("a block failed")
        real(*args)

    monkeypatch.setattr(similarity, "_collect_topk", failing)
    with pytest.raises(MemoryError):
        similarity.cross_document_topk(emb, groups, k=3, block_size=32, workers=2)
    assert calls["n"] >= 3
    assert set(_process_wide_blas()) == {host_blas}


# ---------------------------------------------------------------------------
# Whole checks


def _documents() -> list[factcheck.Document]:
    return [factcheck.Document.from_path(p) for p in SEEDS]


def test_concurrent_checks_equal_sequential_ones_and_leave_the_process_as_it_was(
    host_blas: int,
) -> None:
    docs = _documents()
    shuffled = docs[::-1]
    want = FAST.check(docs).to_json()  # also imports whatever the first check imports
    before = process_state()
    assert FAST.check(shuffled).to_json() == want
    for _ in range(3):
        got = _run_threads(
            lambda: FAST.check(docs).to_json(),
            lambda: FAST.check(shuffled).to_json(),
            lambda: factcheck.check(docs, embedder=HashingEmbedder(), block_size=16).to_json(),
        )
        assert got == [want, want, want]
        same_state(before)


class _FailingClusterer:
    """Clusters like the default, then fails: the call raises after similarity ran."""

    def cluster(self, claims: Any, groups: Any, pairs: PairSet, **context: Any) -> Any:
        HandSetEventClusterer().cluster(claims, groups, pairs)
        raise factcheck.ConfigError("the clusterer gave up")


def test_a_check_that_raises_leaves_the_process_as_it_was(host_blas: int) -> None:
    docs = _documents()
    want = FAST.check(docs).to_json()
    failing = factcheck.Checker(
        embedder=HashingEmbedder(), block_size=16, clusterer=_FailingClusterer()
    )
    before = process_state()
    with pytest.raises(factcheck.ConfigError, match="gave up"):
        failing.check(docs)
    same_state(before)
    got = _run_threads(lambda: failing.check(docs), lambda: FAST.check(docs).to_json())
    assert isinstance(got[0], factcheck.ConfigError)
    assert got[1] == want
    same_state(before)


# ---------------------------------------------------------------------------
# With the real model


@pytest.mark.model
def test_concurrent_checks_with_the_real_model(host_blas: int) -> None:
    docs = _documents()
    checker = factcheck.Checker(block_size=64)
    want = checker.check(docs).to_json()
    before = process_state()
    for _ in range(2):
        got = _run_threads(
            lambda: checker.check(docs).to_json(),
            lambda: checker.check(docs[::-1]).to_json(),
        )
        assert got == [want, want]
        same_state(before)


@pytest.mark.model
def test_the_model_is_loaded_once_when_threads_ask_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A spelling of the default model's path that no other test uses, so it
    # is not loaded yet in this process.
    location = str(embedding.default_model_path()) + os.sep
    loads: list[str] = []
    real = embedding._sentence_transformer

    def counting(where: str, device: str, **kwargs: Any) -> Any:
        loads.append(where)
        return real(where, device, **kwargs)

    monkeypatch.setattr(embedding, "_sentence_transformer", counting)
    texts = ["Iran launched missiles at Israel.", "Talks resumed on Tuesday."]
    embedder = SentenceTransformerEmbedder(model=location)
    before = process_state()
    got = _run_threads(*[lambda: embedder.embed(texts)] * 4)
    assert loads == [location]
    for result in got:
        assert isinstance(result, np.ndarray)
        np.testing.assert_array_equal(result, got[0])
    same_state(before)


@pytest.mark.model
def test_an_embedding_that_raises_in_a_worker_leaves_torch_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedder = SentenceTransformerEmbedder(workers=2, batch_size=2)
    texts = [f"Claim number {n} about an attack on a town." for n in range(12)]
    want = embedder.embed(texts)
    runner = embedding._runner(
        embedder.location, "cpu", embedder.inference, 2, embedding.default_cache_dir() / "onnx"
    )
    assert isinstance(runner, embedding._TorchRunner)
    before = process_state()
    calls = {"n": 0}
    real = runner.model.forward

    def failing(features: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("a batch failed")
        return real(features)

    monkeypatch.setattr(runner.model, "forward", failing)
    with pytest.raises(RuntimeError, match="a batch failed"):
        embedder.embed(texts)
    monkeypatch.undo()
    same_state(before)
    np.testing.assert_array_equal(embedder.embed(texts), want)


@pytest.mark.model
def test_torch_runs_one_thread_in_factcheck_workers_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While batches run, each factcheck worker has one torch thread, and a thread
    the host starts meanwhile still gets torch's default (torch.set_num_threads
    would have changed that default for the whole process)."""
    import torch

    embedder = SentenceTransformerEmbedder(workers=2, batch_size=2)
    texts = [f"Officials said {n} people were evacuated from the town." for n in range(8)]
    want = embedder.embed(texts)
    runner = embedding._runner(
        embedder.location, "cpu", embedder.inference, 2, embedding.default_cache_dir() / "onnx"
    )
    assert isinstance(runner, embedding._TorchRunner)
    default = _torch_threads()[1]
    seen: list[tuple[str, int, int]] = []
    real = runner.model.forward

    def observed(features: Any) -> Any:
        seen.append((threading.current_thread().name, torch.get_num_threads(), _torch_threads()[1]))
        return real(features)

    monkeypatch.setattr(runner.model, "forward", observed)
    np.testing.assert_array_equal(embedder.embed(texts), want)
    assert len(seen) == 4
    for name, in_worker, in_new_thread in seen:
        assert name.startswith("factcheck-embed")
        assert in_worker == 1
        assert in_new_thread == default
