"""The day's rules, pure over the store and the clock: signals, scoring, rank, inbox,
end of day, business hours, one contact's view. Stdlib only (the fast read path)."""
