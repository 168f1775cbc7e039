#!/bin/sh
# Runs the differential test programs of tests/erlang/ on stock Erlang/OTP.
#
# Compiles every tests/erlang/*.erl with erlc into a temporary directory,
# then runs every test module (a module whose source exports main/0) twice as
#     erl -noshell -pa DIR -eval 'MOD:main(), halt().'
# and checks that
#   - both runs print the same stdout and stderr (the program is deterministic),
#   - the exit status is the expected one: 0, except crash_* (non-zero: the
#     program ends with an uncaught exception) and halt_status (3).
# Prints one line per failure and a final summary `N passed, N failed`.
#
# Usage: check_stock.sh [MOD...]        (default: all test modules)
# Environment:
#   ERL, ERLC   the stock tools (default: erl, erlc from PATH)
#   OUT_DIR     if set, keeps each module's stdout/stderr/status there as
#               MOD.out, MOD.err, MOD.status (reference outputs for oxbeam)
#   TIMEOUT     seconds per run (default 300)
set -u

ERL=${ERL:-erl}
ERLC=${ERLC:-erlc}
TIMEOUT=${TIMEOUT:-300}
HERE=$(cd "$(dirname "$0")" && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/oxbeam-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/ebin" "$TMP/run"

passed=0
failed=0
fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

# The differential test programs: modules whose source exports main/0, plus
# their helper modules (named TEST_something, e.g. apply_remote for apply).
# Other .erl files that may live here (e.g. etf_corpus.erl, a corpus
# generator of the ETF tests) are ignored.
test_modules() {
    for src in "$HERE"/*.erl; do
        grep -q '^-export(.*main/0' "$src" && basename "$src" .erl
    done
}
program_modules() {
    tests=$(test_modules)
    for src in "$HERE"/*.erl; do
        m=$(basename "$src" .erl)
        for t in $tests; do
            case "$m" in "$t" | "$t"_*) echo "$m"; break ;; esac
        done
    done
}

# Compiled from inside tests/erlang with relative names, so the {file,_} of
# stacktraces is "MOD.erl" whatever the checkout's location.
compile_failed=""
for m in $(program_modules); do
    if ! (cd "$HERE" && "$ERLC" -o "$TMP/ebin" "$m.erl") >"$TMP/erlc.log" 2>&1; then
        compile_failed="$compile_failed $m"
        fail "$m: erlc failed"
        sed 's/^/    /' "$TMP/erlc.log"
    fi
done

if [ $# -gt 0 ]; then
    mods="$*"
else
    mods=$(test_modules)
fi

expected_status() {
    case "$1" in
        crash_*) echo nonzero ;;
        halt_status) echo 3 ;;
        *) echo 0 ;;
    esac
}

run_once() { # MOD N -> writes $TMP/MOD.N.{out,err,rc}
    (
        cd "$TMP/run" || exit 1
        ERL_CRASH_DUMP_SECONDS=0 ERL_CRASH_DUMP=/dev/null \
            timeout "$TIMEOUT" "$ERL" -noshell -pa "$TMP/ebin" \
            -eval "$1:main(), halt()." >"$TMP/$1.$2.out" 2>"$TMP/$1.$2.err" </dev/null
        echo $? >"$TMP/$1.$2.rc"
    )
}

for m in $mods; do
    case " $compile_failed " in *" $m "*) continue ;; esac
    if [ ! -f "$TMP/ebin/$m.beam" ]; then
        fail "$m: no such module"
        continue
    fi
    run_once "$m" 1
    run_once "$m" 2
    rc1=$(cat "$TMP/$m.1.rc")
    rc2=$(cat "$TMP/$m.2.rc")
    exp=$(expected_status "$m")
    ok=1
    if [ "$rc1" = 124 ] || [ "$rc2" = 124 ]; then
        fail "$m: timed out after ${TIMEOUT}s"
        ok=0
    elif [ "$exp" = nonzero ]; then
        if [ "$rc1" = 0 ] || [ "$rc2" = 0 ]; then
            fail "$m: exit status $rc1/$rc2, expected non-zero"
            ok=0
        fi
    elif [ "$rc1" != "$exp" ] || [ "$rc2" != "$exp" ]; then
        fail "$m: exit status $rc1/$rc2, expected $exp"
        sed 's/^/    /' "$TMP/$m.1.err" | head -n 20
        ok=0
    fi
    if [ $ok = 1 ] && ! cmp -s "$TMP/$m.1.out" "$TMP/$m.2.out"; then
        fail "$m: stdout differs between two runs (not deterministic)"
        diff "$TMP/$m.1.out" "$TMP/$m.2.out" | head -n 20 | sed 's/^/    /'
        ok=0
    fi
    if [ $ok = 1 ] && ! cmp -s "$TMP/$m.1.err" "$TMP/$m.2.err"; then
        fail "$m: stderr differs between two runs (not deterministic)"
        diff "$TMP/$m.1.err" "$TMP/$m.2.err" | head -n 20 | sed 's/^/    /'
        ok=0
    fi
    if [ $ok = 1 ] && [ ! -s "$TMP/$m.1.out" ]; then
        fail "$m: printed nothing"
        ok=0
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
        [ -n "${VERBOSE:-}" ] && echo "ok   $m ($(wc -l <"$TMP/$m.1.out") lines)"
    fi
    if [ -n "${OUT_DIR:-}" ]; then
        mkdir -p "$OUT_DIR"
        cp "$TMP/$m.1.out" "$OUT_DIR/$m.out"
        cp "$TMP/$m.1.err" "$OUT_DIR/$m.err"
        cp "$TMP/$m.1.rc" "$OUT_DIR/$m.status"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
