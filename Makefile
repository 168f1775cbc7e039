# oxbeam: the README's two commands are `make run` and `make test`.
# Both install what is missing (Debian's Erlang/OTP 25 packages) first.

CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
OXBEAM := $(TARGET_DIR)/release/oxbeam
OTP_ROOT ?= /usr/lib/erlang
FUZZ_SECONDS ?= 300

.PHONY: setup build run test lint test-rust test-verify-heap status bench bench-erlang fuzz clean

## setup: install stock Erlang/OTP 25 (the oracle and the library tree oxbeam runs) if missing
setup:
	@bash otp/install.sh
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust (rustup)"; exit 1; }

build: setup
	$(CARGO) build --release

## run: build oxbeam and run examples/hello.erl on it (the shell comes once OTP boots)
run: build
	@mkdir -p $(TARGET_DIR)/examples
	erlc -o $(TARGET_DIR)/examples examples/hello.erl
	$(OXBEAM) run -pa $(TARGET_DIR)/examples hello

## test: everything CI runs: lint, all tests, and the tests again with the heap verifier
test: setup lint test-rust test-verify-heap
	@echo "make test: all passed"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace --release

# The heap verifier walks the old heap incrementally (only the part promoted
# since the previous GC), so every differential program runs under it.
test-verify-heap:
	OXBEAM_DIFF_ONLY=$$(grep -v '^#' tests/erlang/PASSING | paste -sd, -) \
		$(CARGO) test --release --features verify-heap

## status: regenerate the README's status table from `oxbeam status --markdown`
status: build
	@$(OXBEAM) status --markdown > $(TARGET_DIR)/status.md
	@awk 'BEGIN{s=0} /<!-- status:begin -->/{print; while((getline l < "$(TARGET_DIR)/status.md")>0) print l; s=1; next} /<!-- status:end -->/{s=0} !s' README.md > $(TARGET_DIR)/README.new
	@mv $(TARGET_DIR)/README.new README.md
	@echo "README.md status table updated"

## bench: criterion benches (loader, GC, ETF) and the Erlang benchmark driver against stock erl
bench: build
	$(CARGO) bench
	$(MAKE) bench-erlang

## bench-erlang: the Erlang benchmark programs on stock erl and oxbeam (median of BENCH_RUNS);
## the table goes to benches/erlang/RESULTS, which the README's status table quotes (`make status`)
BENCH_RUNS ?= 5
bench-erlang: build
	@{ echo "# $$(date -u +%F), $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $$(nproc) cores, median of $(BENCH_RUNS) runs"; \
	  OXBEAM=$(OXBEAM) RUNS=$(BENCH_RUNS) sh benches/erlang/run.sh; } > $(TARGET_DIR)/bench-results.txt; \
	  status=$$?; cat $(TARGET_DIR)/bench-results.txt; cp $(TARGET_DIR)/bench-results.txt benches/erlang/RESULTS; exit $$status

## fuzz: run each cargo-fuzz target for FUZZ_SECONDS (needs cargo-fuzz; uses RUSTC_BOOTSTRAP for stable rustc)
fuzz:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	[ -d fuzz/corpus/loader ] || python3 fuzz/make_seeds.py $(OTP_ROOT)
	cd fuzz && for t in $$(RUSTC_BOOTSTRAP=1 cargo fuzz list); do \
		RUSTC_BOOTSTRAP=1 cargo fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; done

clean:
	$(CARGO) clean
