# make run   builds everything, imports the data if the database is missing or older than its
#            sources, and serves on :8080.
# make test  runs every test.
SHELL := /bin/bash
GO ?= go
DATA ?= $(or $(ALLIANCE_DATA),../shared/data)
DB ?= $(or $(ALLIANCE_DB),var/alliance.db)
BIN := bin/alliance
STATICCHECK_VERSION := v0.8.2
export CGO_ENABLED := 0

SOURCES := $(shell find . -name '*.go' -not -path './node_modules/*') go.mod go.sum directory/schema.sql directory/sources.json \
  $(shell find web/templates web/static web/openapi.json -type f -not -path 'web/static/vendor/*')
# Every file an import may read (boundaries, postcodes, lookups, organisations, their sources);
# the ground truth is read by tests only.
DATA_FILES := $(shell find $(DATA) -type f -not -path '*/groundtruth/*' 2>/dev/null | sed 's/ /\\ /g')

.PHONY: run build test lint deps cross data-quality bench bench-short fuzz soak race db web-assets clean

run: $(BIN) $(DB)
	$(BIN) serve --db $(DB)

build: $(BIN)

$(BIN): $(SOURCES) web-assets
	$(GO) build -ldflags "-X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o $@ ./cmd/alliance

# The database is rebuilt when any source file, the schema or the list of editions is newer;
# a failed import keeps the old one.
$(DB): $(DATA_FILES) directory/schema.sql directory/sources.json | $(BIN)
	@test -d "$(DATA)" || { echo "data directory $(DATA) not found: set DATA=… or ALLIANCE_DATA (see README)"; exit 1; }
	$(BIN) import --data $(DATA) --db $(DB) > /dev/null
db: $(DB)

# Front-end libraries come from npm (package-lock.json) and are copied into the embedded
# folder web/static/vendor, never committed (only its README.txt is, so the embed compiles on a
# fresh clone). npm ci runs only when node_modules is missing or older than the lock file.
# nhsuk-frontend's web font lives on an NHS host: its @font-face rules are dropped, so pages
# use the Arial fallback and fetch nothing outside the server.
VENDOR := web/static/vendor
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
# GOV.UK's accessible-autocomplete (its bundle includes Preact): the map page's search box.
AUTOCOMPLETE := node_modules/accessible-autocomplete/dist
web-assets: $(VENDOR)/.stamp
node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
$(VENDOR)/.stamp: node_modules/.package-lock.json Makefile
	rm -rf $(VENDOR)/leaflet $(VENDOR)/nhsuk $(VENDOR)/accessible-autocomplete
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/nhsuk $(VENDOR)/accessible-autocomplete
	sed -e 's#^//\# sourceMappingURL=.*##' node_modules/leaflet/dist/leaflet.js > $(VENDOR)/leaflet/leaflet.js
	cp node_modules/leaflet/dist/leaflet.css $(VENDOR)/leaflet/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	sed -e 's/@font-face{[^}]*}//g' -e 's/Frutiger W01,//g' -e 's#url(/assets/#url(/static/vendor/nhsuk/assets/#g' \
	  -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
	  $(NHSUK)/nhsuk-frontend.min.css > $(VENDOR)/nhsuk/nhsuk-frontend.min.css
	! grep -Eo 'url\((https?:)?//[^)]*\)' $(VENDOR)/nhsuk/nhsuk-frontend.min.css $(VENDOR)/leaflet/leaflet.css
	sed -e 's#//\# sourceMappingURL=.*##' $(NHSUK)/nhsuk-frontend.min.js > $(VENDOR)/nhsuk/nhsuk-frontend.min.js
	cp -r $(NHSUK)/assets $(VENDOR)/nhsuk/
	sed -e 's#^//\# sourceMappingURL=.*##' $(AUTOCOMPLETE)/accessible-autocomplete.min.js > $(VENDOR)/accessible-autocomplete/accessible-autocomplete.min.js
	sed -e 's#/\*\# sourceMappingURL=[^*]*\*/##' $(AUTOCOMPLETE)/accessible-autocomplete.min.css > $(VENDOR)/accessible-autocomplete/accessible-autocomplete.min.css
	! grep -Eo 'url\((https?:)?//[^)]*\)' $(VENDOR)/accessible-autocomplete/accessible-autocomplete.min.css
	touch $@

test: $(BIN) lint deps cross openapi-lint
	$(GO) test -count=1 ./...
	@echo "Accuracy against ONS's postcode lookup (NSPL November 2021 sample):"
	@set -o pipefail; $(GO) test -count=1 -run 'TestAccuracy|TestOSGBToWGS84AgainstNSPL' -v ./data/ ./directory/ | grep -E '_test.go:[0-9]+:|^(ok|FAIL|---)'

# The OpenAPI document against Redocly CLI's recommended rules (version pinned in package.json):
# it fails on any error or warning. No telemetry, no update check.
.PHONY: openapi-lint
openapi-lint: node_modules/.package-lock.json
	@out=$$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true npx --no-install redocly lint --extends=recommended --format=stylish web/openapi.json 2>&1); rc=$$?; \
	  grep -v -e '[╔║╚]' -e '^ *$$' <<<"$$out"; \
	  [ $$rc -eq 0 ] && ! grep -Eq '^ *[0-9]+:[0-9]+ +(error|warning) |You have [0-9]+ warning' <<<"$$out"

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" staticcheck ./...

# docs/data-quality.md: member trusts against their headquarters, and what the import noticed.
data-quality: $(BIN) $(DB)
	$(BIN) quality --db $(DB) --out docs/data-quality.md

# The module builds everywhere Go does: platform code (the import lock) sits behind build tags.
cross:
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./...

# Imports point inward: geo knows nothing of ours; data only geo; directory no web.
deps:
	@bad=0; \
	check() { pkg=$$1; shift; for dep in $$($(GO) list -deps ./$$pkg | grep '^github.com/nhs-geo/alliance/' ); do \
	  case " $$* $$pkg " in *" $${dep#github.com/nhs-geo/alliance/} "*) ;; *) echo "$$pkg must not import $$dep"; bad=1;; esac; done; }; \
	check geo; check data geo; check directory geo data; check web directory geo data; \
	exit $$bad

# Regenerates docs/benchmarks.md, peers included, MapIt too (about 17 minutes; loopback only).
bench:
	bash bench/run.sh

# The MapIt comparison alone (about 3 minutes): rewrites its section of docs/benchmarks.md and the
# MapIt rows of the targets. MapIt runs under a temporary folder and is stopped on exit.
.PHONY: bench-mapit
bench-mapit:
	bash bench/mapit.sh --update docs/benchmarks.md

# The regression guard CI runs (also part of make test): index vs naive, same run.
bench-short:
	$(GO) test -count=1 -run TestIndexFasterThanNaive -v ./geo/

# Each fuzz target in turn for FUZZTIME (default 60s; resolve issues after at least 5m).
fuzz:
	@for pkg in ./data/ ./directory/ ./web/; do \
	  for t in $$($(GO) test -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
	    echo "== $$pkg $$t"; $(GO) test -run XXX -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-60s} $$pkg || exit 1; \
	  done; done

# The race detector on the code that shares state between goroutines (snapshot swaps, the
# index, the rate limiter, bulk answers shared out). It needs cgo, and modernc.org/sqlite
# under -race compiles slowly.
race:
	CGO_ENABLED=1 $(GO) test -race -count=1 -run 'Reload|RateLimit|ConditionalGet|Concurrent|BulkInOrder' ./directory/ ./web/ ./geo/

# Two minutes at 64 connections against the real server: errors, memory growth, goroutine leaks.
soak:
	ALLIANCE_SOAK=$${SOAK:-2m} $(GO) test -count=1 -run TestSoak -v -timeout 10m ./cmd/alliance/

clean:
	rm -rf bin var node_modules $(VENDOR)/leaflet $(VENDOR)/nhsuk $(VENDOR)/accessible-autocomplete $(VENDOR)/.stamp
