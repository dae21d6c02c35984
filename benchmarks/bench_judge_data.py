"""Data for the judge benchmarks: readers, claims in context, and an embedding cache.

Used by ``benchmarks/bench_judge.py``; run on its own it only warms the
embedding cache (``python benchmarks/bench_judge_data.py``).

Readers (all under ``../shared/data``):

* SICK (``sick/SICK_train_trial.txt``): tab-separated, ``entailment_label`` in
  ENTAILMENT / NEUTRAL / CONTRADICTION and ``SemEval_set`` in TRAIN / TRIAL.
* Emergent (``emergent/url-versions-2015-06-14-clean-train.csv``): the claim
  (``claimHeadline``) against an article headline (``articleHeadline``) with
  ``articleHeadlineStance`` in for / against / observing.
* FNC-1 (``fnc1/train_stances.csv``, ``fnc1/train_bodies.csv``): headline,
  ``Body ID`` and ``Stance`` in agree / disagree / discuss / unrelated; bodies
  are segmented with :class:`~factcheck.segmenting.RuleSegmenter`.
* ECB+ (``ecbplus/derived/ecbplus_selected_sentences.tsv``): sentences with
  their cross-document event ids; the two sub-topics of a topic (``ecb`` and
  ``ecbplus``) report two different events of one kind.

Embeddings (all-MiniLM-L6-v2 through
:class:`~factcheck.embedding.SentenceTransformerEmbedder`) are cached on disk
under ``$FACTCHECK_JUDGE_CACHE`` (default ``/tmp/factcheck_judge_cache``) as
float32 ``.npy`` shards with a JSON list of their texts (no pickle), so a
re-run embeds only texts it has not seen.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.extracting import RuleFactExtractor, reference_date  # noqa: E402
from factcheck.pipeline import Checker  # noqa: E402
from factcheck.records import (  # noqa: E402
    ActionValue,
    Claim,
    Document,
    Fact,
    FactKind,
    NumberValue,
    RoleValue,
)

DATA = ROOT.parent / "shared" / "data"
SICK = DATA / "sick" / "SICK_train_trial.txt"
EMERGENT = DATA / "emergent" / "url-versions-2015-06-14-clean-train.csv"
FNC_STANCES = DATA / "fnc1" / "train_stances.csv"
FNC_BODIES = DATA / "fnc1" / "train_bodies.csv"
ECBPLUS = DATA / "ecbplus" / "derived" / "ecbplus_selected_sentences.tsv"
SEEDS = ROOT / "seeds"
CACHE = Path(os.environ.get("FACTCHECK_JUDGE_CACHE", "/tmp/factcheck_judge_cache"))

FloatMatrix = npt.NDArray[np.float32]

_EXTRACTOR = RuleFactExtractor()
# Only its segmenting and extracting stages are used (the embedder loads lazily).
_CHECKER = Checker(extractor=_EXTRACTOR)


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (for splits)."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")


# ---------------------------------------------------------------------------
# Claims


def claims_of(document: Document) -> list[Claim]:
    """The claims of a document, as :meth:`factcheck.pipeline.Checker.claims_of` builds them."""
    return _CHECKER.claims_of(document)[0]


def claim_in(document: Document, start: int, end: int, *, index: int = 0) -> Claim:
    """The span ``[start, end)`` of a document as one claim, its facts read in context."""
    (facts,) = _EXTRACTOR.extract(document, [(start, end)])
    return Claim(
        id=f"{document.id}:{index}",
        document=document.id,
        sentence=index,
        start=start,
        end=end,
        text=document.text[start:end],
        facts=facts,
    )


def sentence_claim(doc_id: str, text: str) -> Claim:
    """A one-sentence document as one claim (the whole text, stripped)."""
    text = " ".join(text.split())
    return claim_in(Document(id=doc_id, text=text), 0, len(text))


# ---------------------------------------------------------------------------
# Readers


@dataclass(frozen=True)
class SickPair:
    id: str
    a: str
    b: str
    label: str  # ENTAILMENT / NEUTRAL / CONTRADICTION
    split: str  # TRAIN / TRIAL
    mutual: bool  # A entails B and B entails A


def read_sick(path: Path = SICK) -> list[SickPair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            SickPair(r["pair_ID"], r["sentence_A"], r["sentence_B"], r["entailment_label"],
                     r["SemEval_set"], r["entailment_AB"] == "A_entails_B"
                     and r["entailment_BA"] == "B_entails_A")
            for r in csv.DictReader(handle, delimiter="\t")
        ]  # fmt: skip


@dataclass(frozen=True)
class EmergentPair:
    claim_id: str
    article_id: str
    claim: str
    headline: str
    stance: str  # for / against / observing


def read_emergent(path: Path = EMERGENT) -> list[EmergentPair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            EmergentPair(r["claimId"], r["articleId"], r["claimHeadline"], r["articleHeadline"],
                         r["articleHeadlineStance"])
            for r in csv.DictReader(handle)
        ]  # fmt: skip


@dataclass(frozen=True)
class FncPair:
    headline: str
    body_id: str
    stance: str  # agree / disagree / discuss / unrelated


def read_fnc() -> tuple[list[FncPair], dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with FNC_STANCES.open(encoding="utf-8", newline="") as handle:
        pairs = [FncPair(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(handle)]
    with FNC_BODIES.open(encoding="utf-8", newline="") as handle:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(handle)}
    return pairs, bodies


def fnc_held_out(body_id: str, fraction: float = 0.2) -> bool:
    """Whether a body belongs to the held-out reporting part (a fixed hash split by body)."""
    return stable_hash(f"fnc-body:{body_id}") % 1000 < fraction * 1000


@dataclass(frozen=True)
class EcbSentence:
    topic: str
    subtopic: str
    doc: str
    sentence: int
    text: str
    events: frozenset[str]


def read_ecbplus(path: Path = ECBPLUS) -> list[EcbSentence]:
    out: list[EcbSentence] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = detokenize(r["text"])
            events = frozenset(e for e in r["cross_doc_event_ids"].split("|") if e)
            out.append(EcbSentence(r["topic"], r["subtopic"], r["doc"], int(r["sentence"]), text,
                                   events))  # fmt: skip
    return out


def detokenize(text: str) -> str:
    """Undo the ECB+ tokenisation enough for the extractor (``Reid 's`` -> ``Reid's``)."""
    out = " ".join(text.split())
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), (" :", ":"),
                 (" ;", ";"), ("`` ", '"'), (" ''", '"'), ("( ", "("), (" )", ")"),
                 (" ?", "?"), (" !", "!"), (" - ", "-"), (" %", "%"), ("$ ", "$")):  # fmt: skip
        out = out.replace(a, b)
    return out


def read_seeds() -> list[Document]:
    return [Document.from_path(p) for p in sorted(SEEDS.glob("*.txt"))]


# ---------------------------------------------------------------------------
# Embedding cache


@dataclass
class EmbeddingCache:
    """Content-addressed embeddings of texts, kept as float32 shards on disk."""

    directory: Path = CACHE
    rows: dict[str, FloatMatrix] = field(default_factory=dict)
    seconds: float = 0.0
    embedded: int = 0

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for texts_path in sorted(self.directory.glob("shard-*.json")):
            matrix_path = texts_path.with_suffix(".npy")
            if not matrix_path.is_file():
                continue
            texts = json.loads(texts_path.read_text(encoding="utf-8"))
            matrix = np.load(matrix_path, allow_pickle=False)
            if matrix.shape[0] != len(texts):
                continue
            for text, row in zip(texts, matrix, strict=True):
                self.rows[text] = row

    def embed(self, texts: Iterable[str], *, chunk: int = 2000) -> FloatMatrix:
        """Unit rows for ``texts`` (embedding and saving the ones not cached yet)."""
        texts = list(texts)
        missing = sorted({t for t in texts if t not in self.rows})
        if missing:
            from factcheck.embedding import SentenceTransformerEmbedder

            embedder = SentenceTransformerEmbedder()
            for lo in range(0, len(missing), chunk):
                part = missing[lo : lo + chunk]
                started = time.perf_counter()
                matrix = embedder.embed(part).astype(np.float32)
                self.seconds += time.perf_counter() - started
                self.embedded += len(part)
                name = f"shard-{time.time_ns()}"
                np.save(self.directory / f"{name}.npy", matrix, allow_pickle=False)
                (self.directory / f"{name}.json").write_text(json.dumps(part), encoding="utf-8")
                for text, row in zip(part, matrix, strict=True):
                    self.rows[text] = row
                print(f"  embedded {lo + len(part)}/{len(missing)} new texts", flush=True)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.rows[t] for t in texts]).astype(np.float32)

    def cosine(self, a: str, b: str) -> float:
        return float(np.dot(self.rows[a], self.rows[b]))


FNC_SENTENCES = 12  # a body is compared by its first 12 sentences (subsample, for time)
FNC_FIT_BODIES = 100
FNC_HELD_BODIES = 200


def fnc_body_claims(
    bodies: dict[str, str], body_ids: Iterable[str], *, sentences: int = FNC_SENTENCES
) -> dict[str, list[Claim]]:
    """The first ``sentences`` claims of each body (facts read in the whole body)."""
    return {
        bid: claims_of(Document(id=f"fnc{bid}", text=bodies[bid]))[:sentences]
        for bid in body_ids
        if bodies[bid].strip()
    }


def fnc_sample(
    pairs: Sequence[FncPair],
    *,
    fit_bodies: int = FNC_FIT_BODIES,
    held_bodies: int = FNC_HELD_BODIES,
    seed: int = 7,
) -> tuple[list[FncPair], list[FncPair]]:
    """(fit pairs, held-out pairs): every pair of ``fit_bodies`` random bodies of
    the training part and of ``held_bodies`` random bodies of the held-out part."""
    rng = np.random.default_rng(seed)

    def pick(held: bool, size: int) -> set[str]:
        ids = sorted({p.body_id for p in pairs if fnc_held_out(p.body_id) is held}, key=int)
        return set(rng.choice(ids, size=min(size, len(ids)), replace=False).tolist())

    fit_ids, held_ids = pick(False, fit_bodies), pick(True, held_bodies)
    return [p for p in pairs if p.body_id in fit_ids], [p for p in pairs if p.body_id in held_ids]


def main() -> None:
    cache = EmbeddingCache()
    print(f"cache: {len(cache.rows)} texts in {cache.directory}", flush=True)
    texts: list[str] = []
    for doc in read_seeds():
        texts += [c.text for c in claims_of(doc)]
    texts += [t for p in read_emergent() for t in (p.claim, p.headline)]
    texts += [e.text for e in read_ecbplus()]
    texts += [" ".join(t.split()) for p in read_sick() for t in (p.a, p.b)]
    cache.embed(texts)
    pairs, bodies = read_fnc()
    fit, held = fnc_sample(pairs)
    for part in (held, fit):
        ids = sorted({p.body_id for p in part}, key=int)
        claims = fnc_body_claims(bodies, ids)
        cache.embed([p.headline for p in part] + [c.text for cs in claims.values() for c in cs])
    print(f"done: {cache.embedded} embedded in {cache.seconds:.0f} s", flush=True)


if __name__ == "__main__":
    main()


# ---------------------------------------------------------------------------
# Perturbations: one fact of a real sentence edited, or the sentence paraphrased


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip
_MONTH_ABBR = {"Jan.": 1, "Feb.": 2, "Mar.": 3, "Apr.": 4, "Aug.": 8, "Sept.": 9, "Sep.": 9,
               "Oct.": 10, "Nov.": 11, "Dec.": 12}  # fmt: skip
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MONTHS)} | _MONTH_ABBR
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTH_NUM, key=len, reverse=True))
_MDY = re.compile(rf"^(?P<m>{_MONTH_ALT})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})$")
_DMY = re.compile(rf"^(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_ALT})\s+(?P<y>\d{{4}})$")
_NUMERAL = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?")
_AUX = re.compile(
    r"(?<![\w-])(?P<aux>is|are|was|were|has|have|had|will|would|can|could|did|does|should)"
    r"(?P<gap>\s+)(?!not\b|n't|been\b|to\b)(?=[a-z])"
)
_NEGATED = re.compile(r"(?<![\w-])(?P<aux>is|are|was|were|has|have|had|will|would|could|did|does"
                      r"|do|should)(?P<neg>\s+not|n['’]t)(?![\w-])")  # fmt: skip
# Antonyms for the polarity edits. Some are deliberately NOT in the judge's
# own list (praised/criticized, won/lost is; admitted/denied is not ...), so
# the benchmark does not only test the judge's lexicon against itself.
_OPPOSITES = {
    "agreed": "disagreed", "confirmed": "denied", "accepted": "rejected", "won": "lost",
    "increased": "decreased", "rose": "fell", "praised": "criticized", "admitted": "denied",
    "succeeded": "failed", "allowed": "banned", "approved": "rejected", "supported": "opposed",
    "survived": "died", "arrived": "left", "included": "excluded",
    "acquitted": "convicted", "lifted": "imposed", "welcomed": "condemned",
}  # fmt: skip
_QUANT_SWAP = {"most": "few", "all": "no", "every": "no", "many": "few", "several": "no",
               "some": "no", "none": "most", "few": "most", "nobody": "everybody"}  # fmt: skip
_PLACES = {"Madrid": {"spain", "europe"}, "Nairobi": {"kenya", "africa"},
           "Osaka": {"japan", "asia"}, "Lima": {"peru"}, "Oslo": {"norway", "europe"},
           "Manila": {"philippines", "asia"}, "Chicago": {"illinois", "united states"},
           "Cairo": {"egypt", "africa"}}  # fmt: skip
_PEOPLE = ["Antony Blinken", "Jake Sullivan", "Benny Gantz", "Mark Rutte", "Olaf Scholz",
           "Emmanuel Macron"]  # fmt: skip
_COUNTRY_NAMES = ["Egypt", "Jordan", "France", "Turkey", "Qatar", "Germany"]
_SYNONYMS = [("launched", "fired"), ("postponed", "put off"), ("about", "around"),
             ("more than", "over"), ("announced", "said"), ("began", "started"),
             ("because", "since"), ("attacked", "assaulted"), ("quickly", "rapidly"),
             ("U.S.", "United States"), ("roughly", "approximately"), ("big", "large"),
             ("tried", "attempted"), ("said", "stated"), ("told", "informed"),
             ("killed", "left dead"), ("show", "display"), ("help", "assist"),
             ("buy", "purchase"), ("end", "finish")]  # fmt: skip
_LOWER_FIRST = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "it",
        "he",
        "she",
        "they",
        "we",
        "in",
        "on",
        "at",
        "his",
        "her",
        "their",
        "its",
        "some",
        "most",
    ]
)
_LOCATIVE = re.compile(r"(?i)(?<![\w-])(?:in|at|near|outside|inside)\s+(?:the\s+)?$")
_VERB_ED = re.compile(r"(?<=\s)(?P<verb>[a-z]{3,}ed)(?=\s)")


@dataclass(frozen=True)
class Edit:
    kind: str  # the perturbation type
    text: str  # the new sentence
    gold: str  # contradict / agree / none


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _fmt(value: float, like: str) -> str:
    if "." in like and "," not in like:
        decimals = len(like.split(".")[1])
        return f"{value:.{decimals}f}"
    number = round(value)
    return f"{number:,}" if "," in like else str(number)


def _number_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    out: list[Edit] = []
    for f in c.facts_of(FactKind.NUMBER):
        v = f.value
        m = _NUMERAL.search(f.text)
        if not isinstance(v, NumberValue) or m is None or v.unit is None:
            continue
        n = float(m.group().replace(",", ""))
        lo, hi = f.start - c.start, f.end - c.start
        prefix, rest = f.text[: m.start()], f.text[m.end() :]
        # Not scores, records or ranges (10-5, 4-4), open counts (50+) or split decimals.
        around = c.text[max(0, lo + m.start() - 1) : lo + m.end() + 2]
        if n < 2 or re.search(r"\d\s*[-–+]|[-–]\s*\d|\d\.\s", around):
            continue
        currency = prefix.strip()[-1:] if prefix.strip()[-1:] in "$€£" else ""
        if v.high == float("inf"):
            new = "fewer than " + currency + _fmt(n / 3, m.group()) + rest
        elif v.low == 0:
            new = "more than " + currency + _fmt(n * 3, m.group()) + rest
        else:
            new = prefix + _fmt(n * 3, m.group()) + rest
        if prefix[:1].isupper():
            new = new[0].upper() + new[1:]
        out.append(Edit("number", _replace(c.text, lo, hi, new), "contradict"))
        if v.low == v.high and not prefix.strip():
            out.append(Edit("number-compatible", _replace(c.text, lo, hi, "about " + f.text),
                            "agree"))  # fmt: skip
        elif v.high == float("inf"):
            new = prefix + _fmt(n * 0.9, m.group()) + rest
            out.append(Edit("number-compatible", _replace(c.text, lo, hi, new), "agree"))
        break
    return out


def _date_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    out: list[Edit] = []
    for f, v in c.stated_dates():
        if v.first != v.last or v.first is None:
            continue
        mdy, dmy = _MDY.match(f.text), _DMY.match(f.text)
        m = mdy or dmy
        if m is None:
            continue
        lo, hi = f.start - c.start, f.end - c.start
        day = int(m["d"])
        k = int(rng.integers(1, 8))
        new_day = day + k if day + k <= 28 else day - k
        new = f.text[: m.start("d")] + str(new_day) + f.text[m.end("d") :]
        out.append(Edit("date", _replace(c.text, lo, hi, new), "contradict"))
        year = int(m["y"]) - 1
        far = f.text[: m.start("y")] + str(year) + f.text[m.end("y") :]
        out.append(Edit("date-a-year-apart", _replace(c.text, lo, hi, far), "none"))
        month = _MONTHS[_MONTH_NUM[m["m"]] - 1]
        other = f"{day} {month} {m['y']}" if mdy else f"{month} {day}, {m['y']}"
        out.append(Edit("date-format", _replace(c.text, lo, hi, other), "agree"))
        break
    return out


def _place_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    for f in c.facts_of(FactKind.ENTITY):
        before = c.text[max(0, f.start - c.start - 30) : f.start - c.start]
        if not _LOCATIVE.search(before):
            continue
        key = str(f.value)
        choices = [p for p, parents in _PLACES.items() if key not in parents and p.lower() != key]
        new = choices[int(rng.integers(len(choices)))]
        start = f.start - c.start
        if before.lower().endswith("the "):
            start -= 4
        return [Edit("place", _replace(c.text, start, f.end - c.start, new), "contradict")]
    return []


def _entity_fact(c: Claim, key: str | None, lo: int, hi: int) -> Fact | None:
    for e in c.facts_of(FactKind.ENTITY):
        if e.value == key and lo <= e.start <= hi:
            return e
    return None


def _actor_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    out: list[Edit] = []
    for f in c.facts_of(FactKind.ACTION):
        v = f.value
        if not isinstance(v, ActionValue) or v.agent is None or v.patient is None:
            continue
        ea = _entity_fact(c, v.agent, f.start, f.start)
        ep = _entity_fact(c, v.patient, f.start, f.end)
        if ea is None or ep is None or ep.end != f.end or ea.end > ep.start:
            continue
        if v.agent == v.patient or not (ea.text[:1].isupper() and ep.text[:1].isupper()):
            continue
        s = c.text
        a0, a1, p0, p1 = (x - c.start for x in (ea.start, ea.end, ep.start, ep.end))
        swapped = s[:a0] + ep.text + s[a1:p0] + ea.text + s[p1:]
        out.append(Edit("actor-reversed", swapped, "contradict"))
        pool = _COUNTRY_NAMES if v.agent in _COUNTRY_KEYS else _PEOPLE
        choices = [p for p in pool if p.lower() not in (v.agent, v.patient)]
        new = choices[int(rng.integers(len(choices)))]
        out.append(Edit("actor-substituted", _replace(s, a0, a1, new), "contradict"))
        break
    for f in c.facts_of(FactKind.ROLE):
        v = f.value
        if not isinstance(v, RoleValue) or v.holder is None:
            continue
        e = _entity_fact(c, v.holder, f.end, f.end + 3)
        if e is None:
            continue
        choices = [p for p in _PEOPLE if p.lower() != v.holder]
        new = choices[int(rng.integers(len(choices)))]
        out.append(Edit("role-holder", _replace(c.text, e.start - c.start, e.end - c.start, new),
                        "contradict"))  # fmt: skip
        break
    return out


_COUNTRY_KEYS = frozenset(
    ["united states", "israel", "iran", "lebanon", "syria", "iraq", "yemen", "russia", "ukraine",
     "china", "united kingdom", "france", "germany", "egypt", "jordan", "turkey", "qatar"]
)  # fmt: skip


def _polarity_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    s = c.text
    out: list[Edit] = []
    neg = _NEGATED.search(s)
    if neg is not None:
        out.append(Edit("polarity", _replace(s, neg.start("neg"), neg.end("neg"), ""),
                        "contradict"))  # fmt: skip
    else:
        aux = _AUX.search(s)
        if aux is not None:
            out.append(Edit("polarity", _replace(s, aux.end("aux"), aux.end("aux"), " not"),
                            "contradict"))  # fmt: skip
    for word, opposite in _OPPOSITES.items():
        m = re.search(rf"(?<![\w-]){word}(?![\w-])", s)
        if m is not None:
            out.append(Edit("polarity-antonym", _replace(s, m.start(), m.end(), opposite),
                            "contradict"))  # fmt: skip
            break
    return out


def _quantifier_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    for f in c.facts_of(FactKind.QUANTIFIER):
        word = f.text.lower()
        if word not in _QUANT_SWAP:
            continue
        new = _QUANT_SWAP[word]
        if f.text[:1].isupper():
            new = new.capitalize()
        return [Edit("quantifier", _replace(c.text, f.start - c.start, f.end - c.start, new),
                     "contradict")]  # fmt: skip
    return []


def _paraphrase_edits(c: Claim, rng: np.random.Generator) -> list[Edit]:
    s = c.text
    out: list[Edit] = []
    new = s
    changed = 0
    for old, sub in _SYNONYMS:
        m = re.search(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", new)
        if m is not None:
            new = _replace(new, m.start(), m.end(), sub)
            changed += 1
        if changed == 2:
            break
    if changed:
        out.append(Edit("paraphrase", new, "agree"))
    body = s.rstrip(" .")
    if len(body) > 20 and body[0].isupper() and not any(c.facts_of(FactKind.ATTRIBUTION)):
        out.append(Edit("attributed", body + ", officials said.", "agree"))
        first = body.split()[0]
        lowered = body
        if first.lower() in _LOWER_FIRST:
            lowered = first.lower() + body[len(first) :]
        out.append(Edit("declined-to-say", f"Officials declined to say whether {lowered}.",
                        "none"))  # fmt: skip
    m = _VERB_ED.search(s)
    if m is not None and not any(c.facts_of(FactKind.HEDGE)):
        out.append(Edit("hedged", _replace(s, m.start(), m.start(), "reportedly "), "agree"))
    return out


EDITORS = (_number_edits, _date_edits, _place_edits, _actor_edits, _polarity_edits,
           _quantifier_edits, _paraphrase_edits)  # fmt: skip


@dataclass(frozen=True)
class Perturbed:
    kind: str
    gold: str
    source: str  # where the sentence comes from (seeds / ecbplus / fnc1)
    a: Claim
    b: Claim


def perturb(
    documents: Sequence[tuple[str, Document, Sequence[Claim]]],
    *,
    per_kind: int,
    seed: int = 11,
) -> list[Perturbed]:
    """Pairs (original claim, edited claim), at most ``per_kind`` of each kind.

    The edited sentence replaces the original in a copy of its document, so its
    facts are read in the same context (same reference date, same names).
    """
    rng = np.random.default_rng(seed)
    pool: dict[str, list[Perturbed]] = {}
    for source, doc, claims in documents:
        ref, _ = reference_date(doc)
        base = Document(id=doc.id, text=doc.text, title=doc.title, published=ref)
        for c in claims:
            if len(c.text) < 25 or len(c.text) > 400:
                continue
            original = claim_in(base, c.start, c.end, index=c.sentence)
            for editor in EDITORS:
                for edit in editor(original, rng):
                    if edit.text == c.text:
                        continue
                    text = doc.text[: c.start] + edit.text + doc.text[c.end :]
                    other = Document(id=doc.id + "~edit", text=text, published=ref)
                    edited = claim_in(other, c.start, c.start + len(edit.text), index=c.sentence)
                    pool.setdefault(edit.kind, []).append(
                        Perturbed(edit.kind, edit.gold, source, original, edited)
                    )
    out: list[Perturbed] = []
    for kind in sorted(pool):
        items = pool[kind]
        if len(items) > per_kind:
            keep = sorted(rng.choice(len(items), size=per_kind, replace=False).tolist())
            items = [items[i] for i in keep]
        out += items
    return out


def perturbation_sources(
    *, fnc_bodies: int = 150, seed: int = 5
) -> list[tuple[str, Document, list[Claim]]]:
    """Real sentences to edit: the seeds, ECB+ sentences, and FNC-1 bodies (first 12 sentences)."""
    out: list[tuple[str, Document, list[Claim]]] = []
    for doc in read_seeds():
        out.append(("seeds", doc, claims_of(doc)))
    for n, e in enumerate(read_ecbplus()):
        doc = Document(id=f"ecb{n}", text=e.text)
        out.append(("ecbplus", doc, [claim_in(doc, 0, len(e.text))]))
    _, bodies = read_fnc()
    rng = np.random.default_rng(seed)
    ids = sorted(bodies, key=int)
    for bid in sorted(rng.choice(ids, size=fnc_bodies, replace=False).tolist(), key=int):
        if not bodies[bid].strip():
            continue
        doc = Document(id=f"fncp{bid}", text=bodies[bid])
        out.append(("fnc1", doc, claims_of(doc)[:FNC_SENTENCES]))
    return out
