"""The command palette (ctrl+p): every callqueue action of the current screen and the app,
by name ("End of day", "Log call"), each run where its key would run it."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from callqueue.tui.keys import TITLES


class ActionCommands(Provider):
    """One command per callqueue binding active on the screen the palette was opened from
    (the screen's own and the app's), named by its palette title, with its key."""

    def _commands(self) -> list[tuple[str, str, DOMNode, Binding]]:
        commands: list[tuple[str, str, DOMNode, Binding]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding, binding_id = active.binding, active.binding.id
            if binding_id is None or binding_id not in TITLES or binding_id in seen:
                continue
            seen.add(binding_id)
            key = self.app.get_key_display(binding)
            title = f"{TITLES[binding_id]} ({key})"
            commands.append((title, binding.tooltip, active.node, binding))
        return commands

    async def _run(self, node: DOMNode, binding: Binding) -> None:
        """Run the action on the node that owns the binding (the app or the screen)."""
        await self.app.run_action(binding.action, node)

    async def discover(self) -> Hits:
        for title, help_text, node, binding in self._commands():
            yield DiscoveryHit(title, partial(self._run, node, binding), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, node, binding in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, node, binding),
                    help=help_text,
                )
