# Harp — the two commands of the README, and the steps they are made of.
#   make demo   fit the bundled clip and print where the report is
#   make test   run every test
# Both install what is missing first (Debian packages), quietly when already present.

SWIFT      ?= swift
DEBS       := libopenblas-dev libfftw3-dev libsndfile1-dev pkg-config chromium
DEMO_CLIP  := Resources/perc_bell.flac
DEMO_OUT   := demo-output
HARP       := .build/release/harp

.PHONY: demo test deps build build-debug bench clean

deps:
	@bash tools/install-deps.sh $(DEBS)

build: deps
	@$(SWIFT) build -c release --product harp

test: deps
	@$(SWIFT) build --build-tests
	@$(SWIFT) test --skip-build

demo: build
	@bash tools/demo.sh $(HARP) $(DEMO_CLIP) $(DEMO_OUT)

bench: build
	@$(HARP) bench engine

clean:
	@rm -rf .build $(DEMO_OUT)
