"""The demo's management command: load_demo."""
