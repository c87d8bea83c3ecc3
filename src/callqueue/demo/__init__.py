"""A realistic sample store: the `callqueue demo` command and the benchmark store.

`generate` makes the rows (pure, deterministic for a seed and a `now`),
`builder` writes them into a store and recognises stores it built.
"""
