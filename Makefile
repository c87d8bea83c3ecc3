.PHONY: check test lint types fmt bench

# Everything CI runs: install, ruff, mypy --strict, pytest.
check:
	bash scripts/test.sh

test:
	.venv/bin/pytest -n 2 -q

lint:
	.venv/bin/ruff check src tests benchmarks

types:
	.venv/bin/mypy

fmt:
	.venv/bin/ruff check --fix src tests benchmarks
	.venv/bin/ruff format src tests benchmarks

bench:
	.venv/bin/python benchmarks/run_all.py
