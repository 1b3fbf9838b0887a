# communehr — two commands: `make run` (a working server with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
GO ?= go

.PHONY: run test build vet fmt clean bench-import fuzz load

## run: private PostgreSQL under .data/postgres, migrations, demo data, a demo key, then the server
run: build
	@scripts/run.sh

## test: make lint, then go vet + go test against a throwaway PostgreSQL cluster
test: lint
	@scripts/test.sh

## lint: gofmt -l (fails on any file), go vet, staticcheck (go tool), no comment naming a path outside the repo
.PHONY: lint
lint:
	@scripts/lint.sh

## key: a new API key on the make run database, e.g. make key ROLE=province_editor PROVINCE=08 (prints the token)
.PHONY: key
key:
	@scripts/key.sh "$(ROLE)" "$(PROVINCE)" "$(or $(NAME),make key)"

## build: the server binary in bin/server
build:
	$(GO) build -o bin/server ./cmd/server

## vet: go vet ./...
vet:
	$(GO) vet ./...

## fmt: gofmt every tracked Go file in place
fmt:
	gofmt -l -w $$(git ls-files '*.go')

## clean: stop the dev cluster and remove it with the build output
clean:
	-scripts/pg.sh stop .data/postgres
	rm -rf .data bin

## bench-import: every import kind at ROWS_SMALL (50000) and ROWS_LARGE (200000) rows: time per row, growth
## and posts vs people as PASS/FAIL lines, psql \copy baseline for people, peak RSS
bench-import:
	@scripts/bench-import.sh

## bench-xlsx: 100,000-row .xlsx import vs the same rows as CSV, and an xlsx export (ROWS=100000); times, ratio, peak RSS
.PHONY: bench-xlsx
bench-xlsx:
	@scripts/bench-xlsx.sh

## bench-import-errors: a file of BAD_ROWS bad rows (default 3,000,000) uploaded, errors.csv streamed back;
## prints the server's peak RSS (row errors must not grow the server's memory)
.PHONY: bench-import-errors
bench-import-errors:
	@scripts/bench-import-errors.sh

## bench-national: seed 34 provinces at national scale on a throwaway cluster; time GET /v1/national/summary
## against the equivalent hand-written SQL in psql and print the ratio (goal ≤ 1.5×)
.PHONY: bench-national
bench-national:
	@scripts/bench-national.sh

## bench-run: one province of PEOPLE people (default 30,000) on a throwaway cluster; time an entitlement run
## through the HTTP API and print time per person and the split reading (SQL) / computing / writing
.PHONY: bench-run
bench-run:
	@scripts/bench-run.sh

## bench-console: the console's main pages of the demo province through the real router; ms and KB per page
## (goals: < 100 ms, < 200 KB)
.PHONY: bench-console
bench-console:
	@scripts/bench-console.sh

## bench-reorg: the reference units of all 34 provinces (< 1 s each, < 10 s in all), then the 2025 merger
## of the largest province with PEOPLE people (default 5,000) and 20,000 posts: preview (< 3 s) and apply (< 5 s)
.PHONY: bench-reorg
bench-reorg:
	@scripts/bench-reorg.sh

## fuzz: every Fuzz* target for FUZZTIME each (default 30s); make test runs their seed corpora
fuzz:
	@FUZZTIME=$(or $(FUZZTIME),30s) scripts/fuzz.sh

## load: wrk on loopback against the demo province for LOAD_SECONDS (default 30); prints req/s, p50/p99, errors
load:
	@scripts/load.sh

## help: list the targets with what they do
.PHONY: help
help:
	@awk '/^## [a-z-]+:/ { sub(/^## /, ""); i = index($$0, ":"); printf "  make %-16s%s\n", substr($$0, 1, i - 1), substr($$0, i + 1); next } \
	     /^## / { sub(/^## /, ""); printf "  %-21s %s\n", "", $$0 }' $(MAKEFILE_LIST)

## migration: create the next-numbered migration pair, e.g. make migration NAME=add_cadre_email
.PHONY: migration
migration:
	@scripts/new-migration.sh "$(NAME)"
