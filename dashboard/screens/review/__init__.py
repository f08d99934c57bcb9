"""The Review screen (screen.py) and its parts: the week cache, the words, the ISI modal."""
