"""Text for ages and speed-target countdowns: worded and coloured, never colour alone."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text

SOON_MINUTES = 10


def span(minutes: float) -> str:
    """A compact duration: 45s, 5m, 2h05m, 3d."""
    minutes = abs(minutes)
    if minutes < 1:
        return f"{int(minutes * 60)}s"
    if minutes < 60:
        return f"{int(minutes)}m"
    if minutes < 48 * 60:
        hours, mins = divmod(int(minutes), 60)
        return f"{hours}h{mins:02d}m"
    return f"{int(minutes // (24 * 60))}d"


def age(signal_at: datetime, now: datetime) -> str:
    minutes = (now - signal_at).total_seconds() / 60
    return f"in {span(minutes)}" if minutes < 0 else span(minutes)


def countdown_parts(deadline: datetime | None, now: datetime) -> tuple[str, str]:
    """The countdown's words and style: '5m left' (yellow near the target), '12m over'
    (red), '' without a target."""
    if deadline is None:
        return "", ""
    minutes = (deadline - now).total_seconds() / 60
    if minutes < 0:
        return f"{span(minutes)} over", "bold red"
    return f"{span(minutes)} left", "bold yellow" if minutes <= SOON_MINUTES else "green"


def countdown(deadline: datetime | None, now: datetime) -> Text:
    text, style = countdown_parts(deadline, now)
    return Text(text, style=style)


def clock_time(at: datetime, now: datetime, zone: tzinfo | None) -> str:
    """'09:00' today, 'Tue 09:00' within a week, else the date; in the rep's zone."""
    local, local_now = at.astimezone(zone), now.astimezone(zone)
    if local.date() == local_now.date():
        return local.strftime("%H:%M")
    if abs((local.date() - local_now.date()).days) < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
