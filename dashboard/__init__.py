"""taperdash: a private terminal dashboard for tapering off kratom. Not medical advice."""

__version__ = "0.1.0"
