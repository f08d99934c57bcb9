"""taperdash: a private terminal dashboard for tapering off kratom. Not medical advice."""

import os as _os

__version__ = "0.1.0"

# Polars allocates with jemalloc and configures it (in polars/__init__) never to give freed
# pages back to the system (muzzy_decay_ms:-1), so every bootstrap's scratch stayed in the
# resident size for the life of the dashboard: ~290 MB with five years open. Polars appends
# this variable to its own settings; it must be set before Polars is first imported, which is
# why it is here. A value the user set is left alone.
_os.environ.setdefault(
    "_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:100,muzzy_decay_ms:0"
)
