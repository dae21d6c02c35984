"""End to end on the three seed articles with the real default model."""

from __future__ import annotations

import json

import pytest

import factcheck
from factcheck.records import Claim

pytestmark = pytest.mark.model

CAPTION_001 = "US Secretary of Defense Lloyd Austin meets with Israeli Minister of Defense"
CAPTION_002 = "US Secretary of Defence Lloyd Austin (L) and Israeli Defense Minister"
HAMAS_000 = "when Hamas invaded Israel on Oct. 7, 2023"
HAMAS_001 = "launched their war against Israel on October 7, 2023"
MISSILES_000 = "Tehran launched roughly 180 missiles into Israel last week"
MISSILES_002 = "more than 300 armed drones and cruise and ballistic missiles"
CALLS = [
    ("000", "Austin told Israeli Defense Minister Yoav Gallant over the phone"),
    ("000", "In a second phone call that day"),
    ("001", "were again on the phone overnight Monday into Tuesday"),
    ("002", "spoke with his Israeli counterpart, Yoav Gallant, on Thursday evening"),
]


def _find(report: factcheck.Report, doc_prefix: str, fragment: str) -> Claim:
    found = [c for c in report.claims if c.document.startswith(doc_prefix) and fragment in c.text]
    assert len(found) == 1, (doc_prefix, fragment, [c.text for c in found])
    return found[0]


def _cluster_of(report: factcheck.Report, claim: Claim) -> str:
    return next(cl.id for cl in report.clusters if claim.id in cl.claims)


def _relation(report: factcheck.Report, a: Claim, b: Claim) -> factcheck.Relation | None:
    key = tuple(sorted((a.id, b.id)))
    return next((r for r in report.relations if tuple(sorted(r.claims)) == key), None)


def test_the_two_tel_aviv_photo_captions_are_one_event_and_agree(seed_report) -> None:
    a = _find(seed_report, "001", CAPTION_001)
    b = _find(seed_report, "002", CAPTION_002)
    assert _cluster_of(seed_report, a) == _cluster_of(seed_report, b)
    relation = _relation(seed_report, a, b)
    assert relation is not None
    assert relation.label is factcheck.Label.AGREE
    kinds = {e.kind.value for e in relation.evidence}
    assert "date" in kinds  # Dec. 18, 2023 on both sides
    date = next(e for e in relation.evidence if e.kind.value == "date")
    assert date.a == date.b == "Dec. 18, 2023"


def test_the_two_mentions_of_october_7_agree(seed_report) -> None:
    a = _find(seed_report, "000", HAMAS_000)
    b = _find(seed_report, "001", HAMAS_001)
    assert _cluster_of(seed_report, a) == _cluster_of(seed_report, b)
    relation = _relation(seed_report, a, b)
    assert relation is not None
    assert relation.label is factcheck.Label.AGREE
    date = next(e for e in relation.evidence if e.kind.value == "date")
    assert (date.a, date.b) == ("Oct. 7, 2023", "October 7, 2023")


def test_the_two_missile_attacks_are_not_a_contradiction(seed_report) -> None:
    a = _find(seed_report, "000", MISSILES_000)
    b = _find(seed_report, "002", MISSILES_002)
    relation = _relation(seed_report, a, b)
    assert relation is None or relation.label is not factcheck.Label.CONTRADICT


def test_the_separate_phone_calls_do_not_contradict_each_other(seed_report) -> None:
    calls = [_find(seed_report, doc, fragment) for doc, fragment in CALLS]
    for i, a in enumerate(calls):
        for b in calls[i + 1 :]:
            if a.document == b.document:
                continue
            relation = _relation(seed_report, a, b)
            assert relation is None or relation.label is not factcheck.Label.CONTRADICT


def test_the_seeds_have_no_contradiction_at_all(seed_report) -> None:
    # The three articles report different events; nothing in them conflicts.
    assert seed_report.contradictions == ()


def test_report_dict_has_the_promised_shape_and_exact_offsets(seed_report, seed_documents) -> None:
    data = json.loads(json.dumps(seed_report.to_dict()))
    texts = {d.id: d.text for d in seed_documents}
    assert [d["id"] for d in data["documents"]] == sorted(texts)
    assert all(set(d) >= {"id", "title", "published"} for d in data["documents"])
    for claim in data["claims"]:
        assert set(claim) >= {"id", "document", "text", "start", "end"}
        assert texts[claim["document"]][claim["start"] : claim["end"]] == claim["text"]
        for fact in claim["facts"]:
            assert texts[claim["document"]][fact["start"] : fact["end"]] == fact["text"]
    claim_ids = [c["id"] for c in data["claims"]]
    clustered = [cid for cl in data["clusters"] for cid in cl["claims"]]
    assert sorted(clustered) == sorted(claim_ids)  # every claim in exactly one cluster
    doc_of = {c["id"]: c["document"] for c in data["claims"]}
    for relation in data["relations"]:
        assert relation["label"] in {"agree", "contradict"}
        a, b = relation["claims"]
        assert doc_of[a] != doc_of[b]
        assert 0.0 <= relation["score"] <= 1.0
        assert relation["evidence"]
        assert all(set(e) >= {"kind", "a", "b"} for e in relation["evidence"])


def test_every_line_of_the_seeds_is_a_claim_or_skipped_with_a_reason(
    seed_report, seed_documents
) -> None:
    for doc in seed_documents:
        covered = [False] * len(doc.text)
        spans = [(c.start, c.end) for c in seed_report.claims if c.document == doc.id]
        spans += [(s.start, s.end) for s in seed_report.skipped if s.document == doc.id]
        for start, end in spans:
            assert not any(covered[start:end]), "a character is in two records"
            covered[start:end] = [True] * (end - start)
        lost = "".join(ch for ch, seen in zip(doc.text, covered, strict=True) if not seen)
        assert lost.strip() == ""
    reasons = {s.reason.value for s in seed_report.skipped}
    assert {"navigation", "share prompt", "image credit", "republishing notice"} <= reasons


def test_the_report_does_not_depend_on_document_order(seed_documents, seed_report) -> None:
    again = factcheck.check(list(reversed(seed_documents)))
    assert again.to_json() == seed_report.to_json()


def test_markdown_lists_clusters_then_contradictions_then_agreements(seed_report) -> None:
    text = seed_report.to_markdown()
    events = text.index("## Events reported by more than one document")
    contradictions = text.index("## Contradictions")
    agreements = text.index("## Agreements")
    assert events < contradictions < agreements
    assert "Dec. 18, 2023" in text[agreements:]


# Look-alike events months apart must never share a cluster. Nothing is fitted
# or chosen on the seeds: these are tests only.
LOOK_ALIKES = [
    pytest.param(
        ("000", MISSILES_000),
        ("002", MISSILES_002),
        id="october-and-april-iranian-missile-attacks",
        marks=pytest.mark.xfail(
            strict=True,
            reason="the ECB+-trained event model merges the two attacks: the seed articles "
            "are one story (same names, same years), and on ECB+ one story is one event",
        ),
    ),
    pytest.param(
        ("000", "Israeli forces on Sept. 28 launched a sweeping set of airstrikes"),
        ("001", "localized and targeted raids launched by the IDF overnight"),
        id="september-strike-and-october-raids",
    ),
    pytest.param(
        ("000", "Israeli forces on Sept. 28 launched a sweeping set of airstrikes"),
        ("001", "officially entered Lebanese territory"),
        id="september-strike-and-october-ground-entry",
    ),
]


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_look_alike_events_are_not_one_cluster(seed_report, first, second) -> None:
    a = _find(seed_report, *first)
    b = _find(seed_report, *second)
    assert _cluster_of(seed_report, a) != _cluster_of(seed_report, b)


def test_every_multi_document_cluster_says_why(seed_report) -> None:
    doc_of = {c.id: c.document for c in seed_report.claims}
    multi = [cl for cl in seed_report.clusters if len({doc_of[c] for c in cl.claims}) > 1]
    assert multi
    for cl in multi:
        assert cl.reasons
        assert cl.probability is not None
        assert cl.links > 0
        assert [r.weight for r in cl.reasons] == sorted(
            (r.weight for r in cl.reasons), reverse=True
        )
    assert "Why one event:" in seed_report.to_markdown()
    assert 'class="why"' in seed_report.to_html()
