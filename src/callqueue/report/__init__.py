"""The week in numbers: speed-to-lead, response times, same-day clearing, promises kept,
calls and connects, clean days, clicks (issue 12).

Pure over the store and the clock: `metrics.build_report` reads with stdlib sqlite3 and
SQL and returns typed figures (`model`); the renderers (`text`, `tables`, `html`) turn
them into text with Unicode bars, Markdown, CSV, JSON and a self-contained HTML page.
The rules it measures against are the day's (`callqueue.day`): the customer-message
predicate, the targets and business hours from the config, the follow-up deadlines.
Every figure's definition and source is in README.md, "Weekly report".
"""

FORMATS = ("text", "md", "csv", "json", "html")
"""`callqueue report --format` values (text is the default)."""
