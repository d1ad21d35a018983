# Harp — the two commands of the README, and the steps they are made of.
#   make demo   fit an instrument to the bundled clip (a few minutes), denoise the bundled noisy speech, print where the index page is
#   make test   run every test
# Both install what is missing first (Debian packages), quietly when already present.

SWIFT      ?= swift
DEBS       := libopenblas-dev libfftw3-dev libsndfile1-dev zlib1g-dev pkg-config
# The web player's tests drive a real browser; data-parallel training runs under Open MPI's mpirun.
TEST_DEBS  := $(DEBS) chromium openmpi-bin
DEMO_CLIP  := Resources/perc_bell.flac
DEMO_OUT   := demo-output
DEMO_ITERATIONS ?= 400
HARP       := .build/release/harp
PYTHON     ?= python3

.PHONY: demo test deps build build-debug bench clean minilm

deps:
	@bash tools/install-deps.sh $(DEBS)

build: deps
	@$(SWIFT) build -c release --product harp

test:
	@bash tools/install-deps.sh $(TEST_DEBS)
	@$(SWIFT) build --build-tests
	@$(SWIFT) test --skip-build

# all-MiniLM-L6-v2, the generator's text encoder, into ~/.cache/harp (too large for the repository).
minilm:
	@PYTHON="$(PYTHON)" bash tools/text/fetch_minilm.sh

# (The demo will fetch it too once a trained generator is bundled; until then it needs none.)
demo: build
	@bash tools/demo.sh $(HARP) $(DEMO_CLIP) $(DEMO_OUT) $(DEMO_ITERATIONS)

bench: build
	@$(HARP) bench engine

clean:
	@rm -rf .build $(DEMO_OUT)
