"""Real servers the suite starts itself: session-scoped, on loopback, free ports, temp dirs."""
