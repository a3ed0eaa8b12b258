# csvbatch — one plain Makefile. Each variant builds in its own directory: build/<variant>/.
# Targets: all (release), test, asan, ubsan, tsan (clang), conformance, fuzz, bench, completions,
#          install, format, lint, clean. WERROR=0 relaxes -Werror.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
VARIANT  ?= release
WERROR   ?= 1
CC       ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif

VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
BUILD    := build/$(VARIANT)

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wformat=2 \
            -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-qual -Wundef
ifeq ($(WERROR),1)
WARN     += -Werror
endif

OPT_release := -O2 -g
OPT_debug   := -O0 -g3
OPT_asan    := -O1 -g -fsanitize=address,leak -fno-omit-frame-pointer
OPT_ubsan   := -O1 -g -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT_tsan    := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
OPT_mpi     := -O2 -g
OPT_fuzz    := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer

CPPFLAGS += -Iinclude -D_GNU_SOURCE -DCSVB_VERSION='"$(VERSION)"' $(shell pkg-config --cflags libxml-2.0)
CFLAGS   += -std=c11 $(WARN) $(OPT_$(VARIANT)) -fopenmp -MMD -MP
LDFLAGS  += $(filter -fsanitize=%,$(OPT_$(VARIANT))) -fopenmp
# The compression libraries (zlib, zstd, bzip2, xz): pkg-config where they ship a .pc file.
ZLIBS    := $(shell pkg-config --libs zlib libzstd liblzma 2>/dev/null || echo -lz -lzstd -llzma) -lbz2
# libuchardet (--encoding auto and the encoding hints): pkg-config names its include directory.
UCHARDET_CFLAGS := $(shell pkg-config --cflags uchardet 2>/dev/null || echo -I/usr/include/uchardet)
UCHARDET_LIBS   := $(shell pkg-config --libs uchardet 2>/dev/null || echo -luchardet)
CPPFLAGS += $(UCHARDET_CFLAGS)
LDLIBS   += -lcsv -ljansson -lxml2 -lxxhash $(ZLIBS) $(UCHARDET_LIBS) -pthread

# The layers (shared/DESIGN.md §1), bottom up. A module belongs to exactly one; a layer includes
# only the layers before it (`make layers` checks every #include, and the doors). Each layer is a
# library holding itself and everything below it, and a unit suite links the library of its
# module's layer: a core module that reaches into run is a link error in its own test.
LAYER_util    := diag clock row text utf8 cancel
LAYER_core    := source scan_kernel scan csvfeed lenient record reader charset detect transcode schema filter project writer tempname atomic commit stage \
                 stamp hash codec gzip_source zstd_source bz2_source xz_source \
                 decompress sniff
LAYER_run     := options cli cli_table files_from completion walk walk_names walk_roots outputs outdir omp_env conflicts plan input \
                 shard shard_run plan_json fdlimit \
                 result results hints schedule pipeline chunk_starts chunks driver supervise progress incremental incremental_run \
                 incremental_journal manifest_json wire mpi_env handout driver_mpi
LAYER_present := report report_diag report_table report_csv report_json report_junit report_github color \
                 report_read merge_reports \
                 rusage
LAYERS        := util core run present

ALL_MODULES := $(foreach l,$(LAYERS),$(LAYER_$(l)))
SRC_MODULES := $(patsubst src/%.c,%,$(filter-out src/main.c,$(wildcard src/*.c)))
# The MPI build (make mpi): Open MPI's flags from its mpicc, and driver_mpi.c (the one file
# with <mpi.h>), built into build/mpi only; every other build has no MPI at all.
ifeq ($(VARIANT),mpi)
MPI_CFLAGS  := $(shell mpicc --showme:compile 2>/dev/null)
MPI_LIBS    := $(shell mpicc --showme:link 2>/dev/null)
ifeq ($(MPI_LIBS),)
$(error make mpi needs Open MPI (Debian: libopenmpi-dev openmpi-bin; CSVB_WITH_MPI=1 bash scripts/install-deps.sh))
endif
CPPFLAGS    += -DCSVB_MPI $(patsubst -I%,-isystem %,$(filter -I%,$(MPI_CFLAGS)))
LDLIBS      += $(MPI_LIBS)
else
SRC_MODULES := $(filter-out driver_mpi,$(SRC_MODULES))
endif
UNLAYERED   := $(filter-out $(ALL_MODULES),$(SRC_MODULES))
ifneq ($(UNLAYERED),)
$(error modules without a layer (add them to LAYER_* in the Makefile): $(UNLAYERED))
endif
# Objects of one layer; the library of a layer holds it and every layer below.
layer_objs = $(patsubst %,$(BUILD)/obj/%.o,$(filter $(SRC_MODULES),$(LAYER_$(1))))
LIB_util    := $(BUILD)/libcsvb_util.a
LIB_core    := $(BUILD)/libcsvb_core.a
LIB_run     := $(BUILD)/libcsvb_run.a
LIB_present := $(BUILD)/libcsvb_present.a
OBJS_util    := $(call layer_objs,util)
OBJS_core    := $(OBJS_util) $(call layer_objs,core)
OBJS_run     := $(OBJS_core) $(call layer_objs,run)
OBJS_present := $(OBJS_run) $(call layer_objs,present)
LIB_SRCS := $(patsubst %,src/%.c,$(SRC_MODULES))
LIB_OBJS := $(OBJS_present)
MAIN_OBJ := $(BUILD)/obj/main.o
BIN      := $(BUILD)/csvbatch
TEST_SRCS:= $(wildcard tests/test_*.c)
TEST_BINS:= $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
# A suite tests the module it is named after (test_<module>.c); a suite of no single module
# (test_pipeline tests the driver too) takes the layer of its highest module, as listed here.
test_layer = $(firstword $(foreach l,$(LAYERS),$(if $(filter $(1),$(LAYER_$(l))),$(l))) present)

.PHONY: test-scale
.PHONY: all test unit e2e parallel holes ux limits lenient encodings docs ci-integrations operators faults completion incremental compress completions test-junit asan ubsan tsan tsan-run conformance fuzz fuzz-smoke fuzz-replay bench install uninstall deb test-deb \
        format format-check lint layers clean golden mpi test-scale-mpi test-scale-slurm

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c | $(BUILD)/obj/tests
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -Wno-cast-qual -c $< -o $@

$(foreach l,$(LAYERS),$(eval $(LIB_$(l)): $(OBJS_$(l)) ; @rm -f $$@ && $(AR) rcs $$@ $$^))

$(BIN): $(MAIN_OBJ) $(LIB_present)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/obj/tests/test_%.o $$(LIB_$$(call test_layer,$$*)) | $(BUILD)/tests
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD)/obj $(BUILD)/obj/tests $(BUILD)/tests:
	mkdir -p $@

# Unit suites (Criterion) then the end-to-end golden tests against the built binary.
unit: $(TEST_BINS)
	@rc=0; for t in $(TEST_BINS); do echo "== $$t"; $$t --jobs 2 --short-filename || rc=1; done; exit $$rc

e2e: $(BIN)
	CSVBATCH=$(BIN) bash tests/e2e/run.sh

test: unit e2e parallel fuzz-replay conformance docs operators faults completion test-junit \
      ci-integrations incremental compress holes ux limits lenient encodings

# More than one machine (issue 11): shards, plans, merge-reports, GNU parallel; engines started
# by the suites themselves. A list: each scale suite adds itself here (SCALE_SUITES += ...).
SCALE_SUITES := tests/scale.sh
# test-scale-mpi (real mpirun, 1..4 ranks) and test-scale-slurm (a one-node Slurm cluster the
# suite starts and stops) follow the shard suites.
test-scale: $(BIN)
	@rc=0; for s in $(SCALE_SUITES); do echo "== $$s"; CSVBATCH=$(BIN) bash $$s || rc=1; done; \
	$(MAKE) --no-print-directory test-scale-mpi || rc=1; \
	$(MAKE) --no-print-directory test-scale-slurm || rc=1; exit $$rc

# Issue 13's holes: written paths never replace inputs, exit codes, a closed stdout pipe.
holes: $(BIN)
	CSVBATCH=$(BIN) bash tests/holes.sh
# Issue 13's user-facing items: the table on a terminal, streaming, messages (tests/ux.sh).
ux: $(BIN)
	CSVBATCH=$(BIN) bash tests/ux.sh

# Issue 8: --quotes lenient against python3's csv.reader(strict=False); encodings and BOMs.
lenient: $(BIN)
	CSVBATCH=$(BIN) bash tests/lenient.sh

encodings: $(BIN)
	CSVBATCH=$(BIN) bash tests/encodings.sh

# Issue 13's limits: deeper than PATH_MAX, the open-file limit, the incremental files' conflicts.
limits: $(BIN)
	CSVBATCH=$(BIN) bash tests/limits.sh

incremental: $(BIN)
	CSVBATCH=$(BIN) bash tests/incremental.sh

operators: $(BIN)
	CSVBATCH=$(BIN) bash tests/operators.sh

docs: $(BIN)
	CSVBATCH=$(BIN) bash tests/docs.sh

# Colour through a pty, --junit against the schema, GitHub commands and summary, resource figures.
ci-integrations: $(BIN)
	CSVBATCH=$(BIN) bash tests/ci_integrations.sh
# Compressed inputs and outputs with the real gzip, zstd, bzip2 and xz.
compress: $(BIN)
	CSVBATCH=$(BIN) CSVB_VARIANT=$(VARIANT) bash tests/compress.sh

# Shell completion scripts, generated by the binary from its option table (csvbatch --completion).
COMPLETIONS := build/completions/csvbatch.bash build/completions/_csvbatch \
               build/completions/csvbatch.fish
completions: $(COMPLETIONS)

build/completions/csvbatch.bash: $(BIN) | build/completions
	$(BIN) --completion bash >$@.tmp && mv $@.tmp $@
build/completions/_csvbatch: $(BIN) | build/completions
	$(BIN) --completion zsh >$@.tmp && mv $@.tmp $@
build/completions/csvbatch.fish: $(BIN) | build/completions
	$(BIN) --completion fish >$@.tmp && mv $@.tmp $@
build/completions:
	mkdir -p $@

# The scripts in bash, zsh and fish, and where `make install` puts them (into a temp DESTDIR).
completion: $(BIN)
	CSVBATCH=$(BIN) MAKE="$(MAKE)" VARIANT=$(VARIANT) bash tests/completion.sh

# Fault injection uses an LD_PRELOAD shim, which sanitizer runtimes refuse: release build only.
faults: $(BIN)
ifeq ($(VARIANT),release)
	CSVBATCH=$(BIN) bash tests/faults/run.sh
else
	@echo "faults: skipped under $(VARIANT) (LD_PRELOAD shim needs the plain build)"
endif

parallel: $(BIN)
	CSVBATCH=$(BIN) bash tests/parallel.sh
	CSVBATCH=$(BIN) bash tests/chunks.sh
	CSVBATCH=$(BIN) bash tests/chunks_corpus.sh

# Regenerate the e2e golden files (review the diff before committing).
golden: $(BIN)
	CSVBATCH=$(BIN) bash tests/e2e/run.sh --update

conformance: $(BIN)
	CSVBATCH=$(BIN) bash tests/conformance.sh

# The JUnit reports the test_report_junit suite writes, validated by xmllint against the schema.
test-junit: $(BUILD)/tests/test_report_junit
	JUNIT_SUITE=$(BUILD)/tests/test_report_junit bash tests/junit.sh

# The MPI build, build/mpi/csvbatch (README "MPI build"), and the suites that run it under
# mpirun and under a one-node Slurm cluster they start themselves.
mpi:
	$(MAKE) VARIANT=mpi build/mpi/csvbatch
test-scale-mpi: $(BIN) mpi
	CSVBATCH=$(BIN) CSVBATCH_MPI=build/mpi/csvbatch bash tests/scale_mpi.sh
test-scale-slurm: $(BIN)
	CSVBATCH=$(BIN) bash tests/scale_slurm.sh

asan:
	$(MAKE) VARIANT=asan test
ubsan:
	$(MAKE) VARIANT=ubsan test
# gcc's TSan reports false races inside libgomp; clang with libomp is the supported pairing.
# Criterion's shared arena cannot be mapped under TSan, so TSan runs the binary-level suites.
TSAN_ENV := TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1 exitcode=66"
tsan:
	$(MAKE) VARIANT=tsan CC=clang tsan-run

tsan-run: $(BIN)
	$(TSAN_ENV) CSVBATCH=$(BIN) bash tests/parallel.sh
	$(TSAN_ENV) CSVBATCH=$(BIN) bash tests/e2e/run.sh
	$(TSAN_ENV) CSVBATCH=$(BIN) bash tests/operators.sh
	$(TSAN_ENV) CSVBATCH=$(BIN) bash tests/chunks.sh

# Fuzzing. `make fuzz` builds the libFuzzer target with clang (ASan+UBSan); `make fuzz-smoke`
# runs it for FUZZ_SECONDS (default 60) from the seed corpus; `make fuzz-replay` builds the same
# target with gcc and a replay main and runs every seed and regression file through it.
FUZZ_SECONDS ?= 60

fuzz:
	$(MAKE) VARIANT=fuzz CC=clang build/fuzz/fuzz_reader

build/fuzz/fuzz_reader: tests/fuzz/fuzz_reader.c $(LIB_core)
	$(CC) $(CPPFLAGS) -std=c11 -O1 -g -DCSVB_LIBFUZZER -fsanitize=fuzzer,address,undefined \
	  $^ $(LDLIBS) -fopenmp -o $@

fuzz-smoke: fuzz
	mkdir -p build/fuzz/corpus
	build/fuzz/fuzz_reader -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	  -dict=tests/fuzz/csv.dict -print_final_stats=1 build/fuzz/corpus testdata

$(BUILD)/fuzz_replay: tests/fuzz/fuzz_reader.c $(LIB_core)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $^ $(LDLIBS) -o $@

fuzz-replay: $(BUILD)/fuzz_replay
	find testdata -type f -print0 | sort -z | xargs -0 $(BUILD)/fuzz_replay

bench: $(BIN)
	CSVBATCH=$(BIN) bash scripts/bench.sh

install: $(BIN) $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/csvbatch
	install -m 0644 man/csvbatch.1 $(DESTDIR)$(MANDIR)/csvbatch.1
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0644 build/completions/csvbatch.bash $(DESTDIR)$(BASHCOMPDIR)/csvbatch
	install -m 0644 build/completions/_csvbatch $(DESTDIR)$(ZSHCOMPDIR)/_csvbatch
	install -m 0644 build/completions/csvbatch.fish $(DESTDIR)$(FISHCOMPDIR)/csvbatch.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/csvbatch $(DESTDIR)$(MANDIR)/csvbatch.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/csvbatch $(DESTDIR)$(ZSHCOMPDIR)/_csvbatch \
	  $(DESTDIR)$(FISHCOMPDIR)/csvbatch.fish

# The Debian package, built from a copy of the tree under build/deb-src (dpkg-buildpackage writes
# into the parent directory, which must stay inside the repository); the artifacts go to build/deb.
DEB_SRC := build/deb-src/csvbatch-$(VERSION)
deb:
	rm -rf build/deb-src build/deb
	mkdir -p $(DEB_SRC) build/deb
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git ls-files -z --cached --others --exclude-standard | \
	    xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done; :' sh | \
	    tar --null -T - -cf - | tar -xf - -C $(DEB_SRC); \
	else tar --exclude=./build -cf - . | tar -xf - -C $(DEB_SRC); fi
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	mv build/deb-src/*.deb build/deb-src/*.buildinfo build/deb-src/*.changes build/deb/
	rm -rf build/deb-src
	@ls build/deb

# Builds the package, installs it with apt-get, runs it from /usr/bin, removes it (needs root).
test-deb:
	bash tests/deb.sh

FMT_FILES := $(wildcard src/*.c include/csvbatch/*.h tests/*.c tests/fuzz/*.c)
format:
	clang-format -i $(FMT_FILES)
format-check:
	clang-format --dry-run --Werror $(FMT_FILES)
layers:
	@LAYERS="$(LAYERS)" $(foreach l,$(LAYERS),LAYER_$(l)="$(LAYER_$(l))") bash scripts/check-layers.sh

lint:
	clang-tidy $(LIB_SRCS) src/main.c -- $(CPPFLAGS) -std=c11
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem -Iinclude src

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/tests/*.d)
