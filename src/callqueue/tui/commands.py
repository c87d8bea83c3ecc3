"""The command palette (ctrl+p): every action of the current screen and the app, by name."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionCommands(Provider):
    """One command per bound action of the screen the palette was opened from."""

    def _commands(self) -> list[tuple[str, str, Binding]]:
        screen = self.screen
        commands: list[tuple[str, str, Binding]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            commands.append((f"{binding.description} ({key})", binding.tooltip, binding))
        return commands

    async def _run(self, binding: Binding) -> None:
        await self.screen.run_action(binding.action)

    async def discover(self) -> Hits:
        for title, help_text, binding in self._commands():
            yield DiscoveryHit(title, partial(self._run, binding), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, binding in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, binding), help=help_text
                )
