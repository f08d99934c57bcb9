"""What the screens show: the bundle of frames (built off the UI thread) and the saved glance of today; view-model code that turns core frames into what a screen draws."""
