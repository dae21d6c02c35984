"""Retraining factcheck's learned parts from labelled data (see docs/training.md).

Each learned part has a module here with a ``fit_*`` function that rebuilds
its shipped model file, bit for bit, from public data, and validates it on
groups it was not fitted on. They need scikit-learn, which factcheck itself
needs only for training.
"""

from factcheck.training.events import fit_event_model

__all__ = ["fit_event_model"]
