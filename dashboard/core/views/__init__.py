"""What the screens show: the bundle of frames (built off the UI thread), the saved glance of
today, and the view models (the Polars work a screen needs, as pure functions of frames).

Screens stay thin: they ask a view for plain data (windows, labels, counts, rows) and hand it
to widgets. Nothing here imports textual.
"""
