# Thin wrappers; the real logic lives in scripts/ so CI and humans run the same thing.
.DEFAULT_GOAL := help
.PHONY: help demo build test e2e ui lint bench release clean

help: ## list targets
	@grep -E '^[a-z0-9]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-6s %s\n", $$1, $$2}'

demo: ## run the demo
	go run ./cmd/gongjian demo

build: ## build a static binary into bin/
	CGO_ENABLED=0 go build -o bin/gongjian ./cmd/gongjian

test: ## run all tests (starts a throwaway PostgreSQL)
	bash scripts/test.sh

e2e: ## browser journeys only (Debian chromium, installed when missing)
	bash scripts/e2e.sh

ui: ## rebuild the embedded UI bundle from web/ (npm ci + vite build)
	npm --prefix web ci --no-audit --no-fund && npm --prefix web run build

lint: ## gofmt check, go vet, staticcheck
	@files="$$(gofmt -l .)"; if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

bench: ## Go benchmarks into bench.out, then a district-scale HTTP load run (BENCH_CITY=1: city on PostgreSQL too)
	bash scripts/bench.sh

release: ## cross-build linux amd64/arm64/loong64 archives into dist/
	bash scripts/release.sh

clean: ## remove build, release and benchmark output
	rm -rf bin dist bench.out bench-scale-*.md coverage.out coverage.html cover.out
