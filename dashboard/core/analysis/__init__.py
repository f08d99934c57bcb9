"""The analysis: the daily frame, the plan, links and their statistics, the bundle the UI shows."""
