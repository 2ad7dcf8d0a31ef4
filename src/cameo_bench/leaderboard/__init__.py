"""The leaderboard: a results store of verified (re-scored) submissions, the paper's reported
numbers, a static site and a Gradio app. Submodules are imported where used (the app needs the
``leaderboard`` extra)."""

__all__: list[str] = []
