"""Retraining factcheck's learned parts from labelled data (see docs/training.md).

Each learned part has a module here with a ``fit_*`` function that rebuilds
its shipped model file, bit for bit, from public data, and validates it on
groups it was not fitted on. They need scikit-learn, which factcheck itself
needs only for training.

- :mod:`factcheck.training.events`: the same-event model (:func:`fit_event_model`).
- :mod:`factcheck.training.stance`: the stance model (:func:`fit_stance_model`),
  its grouped cross-validation and FNC-1's score (:func:`fnc_score`).
- :mod:`factcheck.training.data`: readers for FNC-1, Emergent, SICK and ECB+,
  and deterministic grouped splits (:func:`group_folds`).
- :mod:`factcheck.training.perturb`: edits of real sentences with known
  labels, made by rules of their own (independent of the extractor).
"""

from factcheck.training.data import group_folds
from factcheck.training.events import fit_event_model
from factcheck.training.stance import fit_stance_model, fnc_score

__all__ = ["fit_event_model", "fit_stance_model", "fnc_score", "group_folds"]
