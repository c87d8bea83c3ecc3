"""The link tracker: the click verdict rules (`verdict`) and the web service.

Import submodules directly (`from callqueue.tracker.verdict import judge`); this
package imports nothing itself, so the rules can be used without Starlette.
"""
