"""The command line: `callqueue.cli.main.main` is the console script."""
