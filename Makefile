# papergraph: `make demo` builds a graph from examples/, `make test` runs the whole test suite
# (it installs everything the tests need, starts a local Neo4j on 127.0.0.1 and stops it after).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PG     := $(VENV)/bin/papergraph
PIP    := $(PY) -m pip

.PHONY: demo test install install-test bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(PY)
	$(PIP) install -q -c constraints.txt -e .

install-test: $(PY)
	$(PIP) install -q -c constraints.txt -e '.[test,plots,dask]'

demo: install
	$(PG) build examples/ -o out/demo

test: install-test
	bash scripts/run-tests

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf out build dist .pytest_cache
