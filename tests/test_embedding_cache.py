"""The persistent embedding cache: hits, keys, safe format, atomic writes, corruption."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import struct
import warnings
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt
import pytest

from factcheck.embedding import Embedder, HashingEmbedder
from factcheck.embedding_cache import CachedEmbedder, CacheWarning
from factcheck.errors import ConfigError

ARTICLE_A = [
    "Iran launched roughly 180 missiles into Israel last week.",
    "The Pentagon did not immediately respond to a request for comment.",
]
ARTICLE_B = [
    "Tehran fired about 180 ballistic missiles at Israel.",
    "Officials said the attack lasted an hour.",
]
ARTICLE_NEW = ["Some 12,000 Israelis were evacuated on Oct. 8, 2023."]


@attrs.define
class CountingEmbedder:
    """A fake model: hashing vectors, counting every text it is asked to embed."""

    name: str = "fake-model"
    dim: int = 16
    calls: list[list[str]] = attrs.field(factory=list)

    @property
    def identity(self) -> str:
        return self.name

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        return HashingEmbedder(dim=self.dim).embed(texts)

    @property
    def embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


def _shards(cache: CachedEmbedder) -> list[Path]:
    return sorted(cache.folder().glob("*.fcv"))


def test_is_an_embedder_with_the_inner_identity(tmp_path: Path) -> None:
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path)
    assert isinstance(cache, Embedder)
    assert cache.identity == "fake-model"


def test_second_run_embeds_nothing_and_returns_the_same_vectors(tmp_path: Path) -> None:
    texts = ARTICLE_A + ARTICLE_B
    first_inner = CountingEmbedder()
    first = CachedEmbedder(inner=first_inner, directory=tmp_path).embed(texts)
    assert first_inner.embedded == texts
    np.testing.assert_array_equal(first, HashingEmbedder(dim=16).embed(texts))

    again_inner = CountingEmbedder()  # a new process, in effect
    again = CachedEmbedder(inner=again_inner, directory=tmp_path)
    second = again.embed(texts)
    assert again_inner.calls == []
    np.testing.assert_array_equal(second, first)
    assert (again.stats.hits, again.stats.misses) == (4, 0)
    assert second.dtype == np.float32
    assert second.shape == (4, 16)


def test_a_new_article_embeds_only_its_own_sentences(tmp_path: Path) -> None:
    CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path).embed(ARTICLE_A + ARTICLE_B)
    inner = CountingEmbedder()
    out = CachedEmbedder(inner=inner, directory=tmp_path).embed(ARTICLE_A + ARTICLE_NEW + ARTICLE_B)
    assert inner.embedded == ARTICLE_NEW
    np.testing.assert_array_equal(
        out, HashingEmbedder(dim=16).embed(ARTICLE_A + ARTICLE_NEW + ARTICLE_B)
    )


def test_repeated_texts_in_one_call_are_embedded_once(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    out = CachedEmbedder(inner=inner, directory=tmp_path).embed(
        [ARTICLE_A[0], ARTICLE_A[1], ARTICLE_A[0]]
    )
    assert inner.embedded == ARTICLE_A
    np.testing.assert_array_equal(out[0], out[2])


def test_models_never_share_vectors(tmp_path: Path) -> None:
    CachedEmbedder(inner=CountingEmbedder(name="model-1"), directory=tmp_path).embed(ARTICLE_A)
    other = CountingEmbedder(name="model-2", dim=8)
    out = CachedEmbedder(inner=other, directory=tmp_path).embed(ARTICLE_A)
    assert other.embedded == ARTICLE_A
    assert out.shape == (2, 8)


def test_keys_are_sha256_of_identity_and_text(tmp_path: Path) -> None:
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path)
    cache.embed(ARTICLE_A)
    (shard,) = _shards(cache)
    data = shard.read_bytes()
    (header_len,) = struct.unpack_from("<I", data, 7)
    payload = data[11 + header_len :]
    keys = {payload[i : i + 32] for i in range(0, 64, 32)}
    want = {hashlib.sha256(f"fake-model\0{t}".encode()).digest() for t in ARTICLE_A}
    assert keys == want


def test_the_format_is_plain_bytes_read_without_pickle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path)
    vectors = cache.embed(ARTICLE_A)
    (shard,) = _shards(cache)
    # An independent reader of the documented layout.
    data = shard.read_bytes()
    assert data.startswith(b"FCVEC1\n")
    (header_len,) = struct.unpack_from("<I", data, 7)
    header = json.loads(data[11 : 11 + header_len])
    payload = data[11 + header_len :]
    assert header == {
        "count": 2,
        "dim": 16,
        "identity": "fake-model",
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    stored = np.frombuffer(payload[64:], dtype="<f4").reshape(2, 16)
    np.testing.assert_array_equal(stored, vectors)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache must not unpickle or np.load")

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(np, "load", forbidden)
    inner = CountingEmbedder()
    np.testing.assert_array_equal(
        CachedEmbedder(inner=inner, directory=tmp_path).embed(ARTICLE_A), vectors
    )
    assert inner.calls == []


def _corrupt_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x40  # inside the last vector
    path.write_bytes(bytes(data))


def _corrupt_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 7])


def _corrupt_garbage(path: Path) -> None:
    path.write_bytes(b"\x80\x04not a shard at all")


def _corrupt_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:12] + b"#" + data[13:])  # the JSON header no longer parses


def _corrupt_empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "corrupt",
    [_corrupt_flip, _corrupt_truncate, _corrupt_garbage, _corrupt_header, _corrupt_empty],
    ids=["flipped-bit", "truncated", "garbage", "bad-header", "empty"],
)
def test_a_damaged_shard_is_detected_and_recomputed(tmp_path: Path, corrupt: object) -> None:
    texts = ARTICLE_A + ARTICLE_B
    want = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path).embed(texts)
    (shard,) = _shards(CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path))
    sound = shard.read_bytes()
    corrupt(shard)  # type: ignore[operator]

    inner = CountingEmbedder()
    cache = CachedEmbedder(inner=inner, directory=tmp_path)
    with pytest.warns(CacheWarning, match="unusable"):
        got = cache.embed(texts)
    assert inner.embedded == texts  # nothing from the damaged shard was trusted
    np.testing.assert_array_equal(got, want)
    assert cache.stats.corrupt_shards == 1
    # Removed, and a sound shard written in its place (shards are named by content).
    assert [p.read_bytes() for p in _shards(cache)] == [sound]
    inner_again = CountingEmbedder()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CachedEmbedder(inner=inner_again, directory=tmp_path).embed(texts)
    assert inner_again.calls == []


def test_a_shard_of_another_model_moved_into_place_is_not_trusted(tmp_path: Path) -> None:
    one = CachedEmbedder(inner=CountingEmbedder(name="model-1"), directory=tmp_path)
    one.embed(ARTICLE_A)
    two = CachedEmbedder(inner=CountingEmbedder(name="model-2"), directory=tmp_path)
    (shard,) = _shards(one)
    two.folder().mkdir(parents=True)
    (two.folder() / shard.name).write_bytes(shard.read_bytes())
    with pytest.warns(CacheWarning, match="another model"):
        two.embed(ARTICLE_A)
    assert two.stats.misses == 2


def test_writes_are_atomic_a_failed_rename_leaves_no_shard_or_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        renames.append((str(src), str(dst)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    inner = CountingEmbedder()
    cache = CachedEmbedder(inner=inner, directory=tmp_path)
    with pytest.warns(CacheWarning, match="cannot write"):
        out = cache.embed(ARTICLE_A)
    np.testing.assert_array_equal(out, HashingEmbedder(dim=16).embed(ARTICLE_A))
    assert len(renames) == 1
    src, dst = renames[0]
    assert Path(src).parent == Path(dst).parent == cache.folder()  # same file system
    assert Path(src).name.startswith(".tmp-")
    assert list(cache.folder().iterdir()) == []  # the temporary file was removed


def test_writes_go_through_a_temporary_file_and_os_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Path, bytes]] = []
    real_replace = os.replace

    def spying_replace(src: str, dst: str) -> None:
        seen.append((Path(dst), Path(src).read_bytes()))
        assert not Path(dst).exists()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spying_replace)
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path)
    cache.embed(ARTICLE_A)
    ((dst, data),) = seen
    assert dst.read_bytes() == data  # the complete shard, moved into place in one step


def test_an_unwritable_cache_warns_and_still_embeds(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    inner = CountingEmbedder()
    with pytest.warns(CacheWarning):
        out = CachedEmbedder(inner=inner, directory=blocker).embed(ARTICLE_A)
    assert out.shape == (2, 16)


def test_shards_are_merged_and_every_entry_survives(tmp_path: Path) -> None:
    texts = [f"Sentence number {i} about the missiles." for i in range(7)]
    for text in texts:
        CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path, max_shards=3).embed([text])
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path, max_shards=3)
    assert 1 <= len(_shards(cache)) <= 3
    inner = CountingEmbedder()
    out = CachedEmbedder(inner=inner, directory=tmp_path, max_shards=3).embed(texts)
    assert inner.calls == []
    np.testing.assert_array_equal(out, HashingEmbedder(dim=16).embed(texts))


def test_no_texts_gives_an_empty_matrix(tmp_path: Path) -> None:
    out = CachedEmbedder(inner=HashingEmbedder(dim=16), directory=tmp_path).embed([])
    assert out.shape == (0, 16)
    assert out.dtype == np.float32


def test_an_inner_embedder_returning_the_wrong_shape_is_an_error(tmp_path: Path) -> None:
    @attrs.define
    class Broken:
        identity: str = "broken"

        def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            return np.zeros((1, 4), dtype=np.float32)

    with pytest.raises(ValueError, match="shape"):
        CachedEmbedder(inner=Broken(), directory=tmp_path).embed(ARTICLE_A)
    assert not any(tmp_path.rglob("*.fcv"))


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_bad_max_shards_is_a_config_error(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ConfigError, match="max_shards"):
        CachedEmbedder(inner=HashingEmbedder(), directory=tmp_path, max_shards=bad)  # type: ignore[arg-type]


def test_checker_cache_dir_embeds_only_a_new_article(tmp_path: Path) -> None:
    """Re-checking a corpus with one new article embeds only that article's claims."""
    from factcheck import Checker, Document
    from factcheck.embedding import HashingEmbedder

    calls: list[int] = []

    class Counting(HashingEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().embed(texts)

    checker = Checker(embedder=Counting(), cache_dir=tmp_path / "cache")
    old = [
        Document(id="a", text="Iran launched 180 missiles. Most were intercepted."),
        Document(id="b", text="Tehran fired about 180 missiles at Israel."),
    ]
    first = checker.check(old)
    new = Document(id="c", text="Israel said it would respond to the attack.")
    second = checker.check([*old, new])
    assert calls == [3, 1]  # the second run embedded only c's one claim
    again = Checker(embedder=Counting()).check([*old, new])
    assert second.to_json() == again.to_json()  # cached vectors change nothing
    assert first.documents == tuple(old)


# ---------------------------------------------------------------------------
# Forged entries: a sound checksum is not enough


def _forge(path: Path, vectors: npt.NDArray[np.float32]) -> None:
    """Rewrite a shard's vectors (any shape) with a recomputed, valid checksum."""
    data = path.read_bytes()
    (header_len,) = struct.unpack_from("<I", data, 7)
    header = json.loads(data[11 : 11 + header_len])
    keys = data[11 + header_len : 11 + header_len + 32 * header["count"]]
    payload = keys + np.ascontiguousarray(vectors, dtype="<f4").tobytes()
    header["dim"] = int(vectors.shape[1])
    header["sha256"] = hashlib.sha256(payload).hexdigest()
    raw = json.dumps(header, sort_keys=True).encode()
    path.write_bytes(b"FCVEC1\n" + struct.pack("<I", len(raw)) + raw + payload)


_FORGERIES = {
    "zeros": lambda v: np.zeros_like(v),
    "huge": lambda v: v * np.float32(1e30),
    "doubled": lambda v: v * 2,
    "wrong-dimension": lambda v: HashingEmbedder(dim=8).embed(ARTICLE_A),
    "not-float32": lambda v: np.frombuffer(
        np.ascontiguousarray(v, dtype="<f2").tobytes() * 2, dtype="<f4"
    ).reshape(v.shape),
}


@pytest.mark.parametrize("forgery", sorted(_FORGERIES))
def test_a_forged_shard_with_a_valid_checksum_is_recomputed_with_a_warning(
    tmp_path: Path, forgery: str
) -> None:
    want = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path).embed(ARTICLE_A)
    (shard,) = _shards(CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path))
    _forge(shard, _FORGERIES[forgery](want))

    inner = CountingEmbedder()
    cache = CachedEmbedder(inner=inner, directory=tmp_path)
    with pytest.warns(CacheWarning, match=f"embedding cache shard {tmp_path}") as caught:
        got = cache.embed(ARTICLE_A)
    assert "embedded again" in str(caught[0].message)
    assert inner.embedded == ARTICLE_A  # the forged vectors were not served
    np.testing.assert_array_equal(got, want)
    # The next run is clean: the forged shard was replaced by a sound one.
    again = CountingEmbedder()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(
            CachedEmbedder(inner=again, directory=tmp_path).embed(ARTICLE_A), want
        )
    assert again.calls == []


def test_shards_of_two_dimensions_without_a_record_are_settled_by_the_model(
    tmp_path: Path,
) -> None:
    cache = CachedEmbedder(inner=CountingEmbedder(), directory=tmp_path)
    want = cache.embed(ARTICLE_A + ARTICLE_B)
    (shard,) = _shards(cache)
    bogus = cache.folder() / "0000forged.fcv"
    bogus.write_bytes(shard.read_bytes())
    _forge(bogus, HashingEmbedder(dim=8).embed(ARTICLE_A + ARTICLE_B))
    (cache.folder() / "model.json").unlink()  # no record of the model's dimension
    inner = CountingEmbedder()
    with pytest.warns(CacheWarning, match="another dimension"):
        got = CachedEmbedder(inner=inner, directory=tmp_path).embed(ARTICLE_A + ARTICLE_B)
    np.testing.assert_array_equal(got, want)
    assert not bogus.exists()


def test_a_zero_vector_is_never_cached(tmp_path: Path) -> None:
    @attrs.define
    class Blank(CountingEmbedder):
        def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            out = super().embed(texts)
            out[0] = 0.0
            return out

    inner = Blank()
    cache = CachedEmbedder(inner=inner, directory=tmp_path)
    cache.embed(ARTICLE_A)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CachedEmbedder(inner=inner, directory=tmp_path).embed(ARTICLE_A)
    assert inner.calls == [ARTICLE_A, ARTICLE_A[:1]]  # only the zero row was asked again


def test_a_forged_cache_never_makes_a_later_check_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from factcheck import cli
    from factcheck.pipeline import Checker

    monkeypatch.setattr(cli, "Checker", functools.partial(Checker, embedder=HashingEmbedder()))
    (tmp_path / "a.txt").write_text("At least 63,500 Israelis were evacuated on Oct. 8, 2023.\n")
    (tmp_path / "b.txt").write_text("Some 12,000 Israelis were evacuated on Oct. 8, 2023.\n")
    cache_dir = tmp_path / "cache"
    args = ["check", str(tmp_path), "--cache-dir", str(cache_dir), "--format", "json"]
    assert cli.main(args) == cli.EXIT_CONTRADICTION
    plain = capsys.readouterr().out
    (shard,) = sorted(cache_dir.glob("*/*.fcv"))
    data = shard.read_bytes()
    (header_len,) = struct.unpack_from("<I", data, 7)
    header = json.loads(data[11 : 11 + header_len])
    vectors = np.frombuffer(data[11 + header_len + 32 * header["count"] :], dtype="<f4")
    _forge(shard, vectors.reshape(header["count"], header["dim"]) * np.float32(1e30))
    for _ in range(2):
        assert cli.main(args) == cli.EXIT_CONTRADICTION
        captured = capsys.readouterr()
        assert captured.out == plain
        if _ == 0:
            assert captured.err.startswith(f"factcheck: warning: embedding cache shard {cache_dir}")
            assert len(captured.err.splitlines()) == 1
        else:
            assert captured.err == ""
