"""View models: the Polars work the screens need, as pure functions of frames.

Screens stay thin: they ask a view for plain data (windows, labels, counts, rows) and hand it
to widgets. Nothing here imports textual.
"""
