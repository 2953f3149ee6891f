# The two commands of the README, and the stack's other verbs. See scripts/stack.
.PHONY: run test stop status install
ARGS ?=

run:
	scripts/stack start

test:
	scripts/stack test $(ARGS)

stop:
	scripts/stack stop

status:
	scripts/stack status

install:
	scripts/stack install
