# The two commands of the README, and the stack's other verbs. See scripts/stack.
.PHONY: run test test-unit lint stop status install
ARGS ?=
VENV = $(or $(KALMAR_STACK_DIR),.stack)/venv

run:
	scripts/stack start

test:
	scripts/stack test $(ARGS)

# The unit layer alone (tests/unit): the pure modules, no PostgreSQL, Solr or Redis started or needed.
# `scripts/stack install` only installs (packages, venv); it starts nothing.
test-unit: install
	$(VENV)/bin/pytest -c tests/unit/pytest.ini tests/unit $(ARGS)

lint: install
	$(VENV)/bin/ruff check .

stop:
	scripts/stack stop

status:
	scripts/stack status

install:
	scripts/stack install
