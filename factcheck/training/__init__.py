"""Training factcheck's learned parts on public labelled data, and validating them.

Users retrain with these functions (see docs/training.md); the data are read
from folders in each data set's own layout (:mod:`factcheck.training.data`).

- :mod:`factcheck.training.data`: readers for FNC-1, Emergent, SICK and ECB+,
  and deterministic grouped splits (:func:`group_folds`).
- :mod:`factcheck.training.stance`: the stance model
  (:func:`fit_stance_model`), its grouped cross-validation and FNC-1's score.
- :mod:`factcheck.training.perturb`: edits of real sentences with known
  labels, made by rules of their own (independent of the extractor).
"""

from factcheck.training.data import group_folds
from factcheck.training.stance import fit_stance_model, fnc_score

__all__ = ["fit_stance_model", "fnc_score", "group_folds"]
