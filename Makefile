# mpsim - build, test, demo.  See README.md.
#
#   make            build build/mpsim (C11, -Wall -Wextra -Werror)
#   make demo       install missing packages, build, run the built-in demo
#   make test       install missing packages, build, run every test, plain
#                   and under ASan+UBSan, plus CLI and co-simulation tests
#   make bench      speed benchmarks (ratios measured in one run)
#   make validate   long validation: large arrays, full synthesis runs,
#                   and the paper reproductions
#   make reproduce  the papers' figures next to mpsim's (scripts/reproduce/)
#   make deps       install the Debian packages mpsim uses (as root)
#   make fuzz       libFuzzer + ASan/UBSan on every input reader, FUZZ_S
#                   seconds each (default 60; FUZZ_ONLY="arch npy" for
#                   some); needs clang (make deps does not install it;
#                   `make fuzz` installs it when root)
#
# Sources are picked up by wildcard: a new file in golden/, workloads/,
# pe_models/, rtl_gen/, sim/ or a sim/ sub-folder (cli/, cosim/, synth/,
# sweep/, analysis/) is built without touching this file, and every
# tests/test_*.c is a cmocka test binary.  sim/cli/main.c alone stays out of
# the library: it is linked into build/mpsim, and the tests have their own
# main().

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
SAN     ?=
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
           -Wno-missing-field-initializers $(OPT) -g $(SAN) -I.
LDFLAGS := $(SAN)
LDLIBS  := -lyaml -lm

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

MAIN_SRC := sim/cli/main.c
LIB_SRC  := $(wildcard golden/*.c workloads/*.c pe_models/*.c rtl_gen/*.c) \
            $(filter-out $(MAIN_SRC),$(wildcard sim/*.c sim/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

FUZZ_S  ?= 60
FUZZ_CC ?= clang-14
FUZZ_ONLY ?=

.PHONY: all deps demo test unit-bin bench validate reproduce fuzz clean

all: $(BUILD)/mpsim

$(BUILD)/libmpsim.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/mpsim: $(MAIN_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/libmpsim.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libmpsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP $< -o $@ $(LDFLAGS) $(BUILD)/libmpsim.a \
	    -lcmocka $(LDLIBS)

# The fuzz harnesses' readers, replayed without libFuzzer (make test runs
# the corpora and regression inputs through it).
FUZZ_SRC := tests/fuzz/readers.c

$(BUILD)/fuzz-replay: tests/fuzz/replay.c $(FUZZ_SRC) tests/fuzz/readers.h \
                      $(BUILD)/libmpsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) tests/fuzz/replay.c $(FUZZ_SRC) -o $@ \
	    $(LDFLAGS) $(BUILD)/libmpsim.a $(LDLIBS)

unit-bin: $(BUILD)/mpsim $(TEST_BIN) $(BUILD)/fuzz-replay

-include $(LIB_OBJ:.o=.d) $(MAIN_SRC:%.c=$(BUILD)/obj/%.d) $(TEST_BIN:=.d)

deps:
	@bash scripts/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/mpsim demo

# The plain build and the sanitizer build live side by side; the runner
# executes both suites, the CLI tests and the co-simulation tests, and ends
# with one "total: N passed, N failed" line.
test: deps
	@$(MAKE) --no-print-directory unit-bin
	@$(MAKE) --no-print-directory unit-bin BUILD=$(BUILD)/san OPT=-O1 \
	    SAN="$(SAN_FLAGS)"
	@bash tests/run_tests.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/bench.sh $(BUILD)

validate: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/validate.sh $(BUILD)
	@bash scripts/reproduce/run.sh $(BUILD)

reproduce: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/reproduce/run.sh $(BUILD)

# Each reader for FUZZ_S seconds under libFuzzer + ASan + UBSan, seeded from
# tests/fuzz/corpus/READER; tests/fuzz/run.sh says what to keep.
fuzz:
	@bash scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/fuzz-replay \
	    BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) OPT=-O1 \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@bash tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_S) $(FUZZ_CC) $(FUZZ_ONLY)

clean:
	rm -rf $(BUILD)
