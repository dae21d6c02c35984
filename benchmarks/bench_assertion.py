"""Assertion modes of Emergent's article headlines, per stance label.

    python3 benchmarks/bench_assertion.py [--data ../shared/data]

Emergent labels each article headline for / against / observing towards its
claim. Headlines that only observe a claim should mostly be hedged or
attributed, those against it often denied, and those for it asserted; the
table shows how :func:`factcheck.assertion.assertion_mode` distributes over
each label. Nothing is fitted, but two rules (an opening "No," as a denial, a
source after a final colon as an attribution) were added after reading about
40 of these headlines, so the figures are not fully held out. Figures go to
``benchmarks/results/assertion.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.assertion import assertion_mode  # noqa: E402
from factcheck.records import AssertionMode  # noqa: E402
from factcheck.training.data import read_emergent  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument(
        "--results", type=Path, default=ROOT / "benchmarks" / "results" / "assertion.md"
    )
    args = parser.parse_args()
    pairs = read_emergent(args.data / "emergent")
    counts = Counter((p.label.value, assertion_mode(p.headline)) for p in pairs)
    modes = list(AssertionMode)
    lines = [
        "# Assertion modes of Emergent article headlines, per stance label",
        "",
        "Command: `python3 benchmarks/bench_assertion.py`. Share of each label's headlines in "
        'each mode (rows sum to 1). Nothing is fitted; two rules (an opening "No,", a '
        "source after a final colon) were written after reading about 40 of these "
        "headlines, so this is not fully held out.",
        "",
        "| label | headlines | " + " | ".join(m.value for m in modes) + " |",
        "|" + "---|" * (2 + len(modes)),
    ]
    for label in ("for", "against", "observing"):
        total = sum(v for (lab, _), v in counts.items() if lab == label)
        shares = [counts[(label, m)] / total for m in modes]
        lines.append(f"| {label} | {total} | " + " | ".join(f"{s:.3f}" for s in shares) + " |")
    claims = Counter(assertion_mode(p.claim) for p in {p.claim_id: p for p in pairs}.values())
    lines += [
        "",
        "The claims themselves (one per claim id): "
        + ", ".join(f"{m.value} {claims[m]}" for m in modes if claims[m])
        + ".",
        "",
    ]
    text = "\n".join(lines)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
