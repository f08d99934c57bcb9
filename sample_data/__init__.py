"""The demo history (demo/, shipped as package data) and the scripts that generate it."""
