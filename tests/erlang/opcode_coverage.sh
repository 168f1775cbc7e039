#!/bin/sh
# Which generic opcodes used by the OTP 25 tree are NOT present in the
# compiled test programs of tests/erlang/?
#
# Compiles all tests/erlang/*.erl with erlc into a temporary directory, counts
# their opcodes with stock beam_disasm through the oracle
# tests/support/beam_histogram.erl, and compares against the opcodes whose
# status is `used` in /work/shared/otp25/opcodes.tsv (override with OPCODES).
#
# Usage: opcode_coverage.sh [-v]
#   -v   also print, for every used opcode, the total count in the test
#        programs and the modules that contain it
# Exit status: 0 when every uncovered opcode is in the list of known
# uncoverable ones below, 1 otherwise.
set -u

ERL=${ERL:-erl}
ERLC=${ERLC:-erlc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OPCODES=${OPCODES:-/work/shared/otp25/opcodes.tsv}
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/oxbeam-opcov.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/ebin" "$TMP/tool"

"$ERLC" -o "$TMP/tool" "$ROOT/tests/support/beam_histogram.erl" || exit 2
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
for m in $(program_modules); do
    (cd "$HERE" && "$ERLC" -o "$TMP/ebin" "$m.erl") || { echo "erlc failed: $m.erl" >&2; exit 2; }
done

# module<TAB>opcode<TAB>count
"$ERL" -noshell -pa "$TMP/tool" -run beam_histogram main "$TMP"/ebin/*.beam \
    >"$TMP/hist.tsv" || { echo "beam_histogram failed" >&2; exit 2; }

awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["status"] == "used" { print $col["name"] }' "$OPCODES" |
    sort -u >"$TMP/used.txt"
# beam_histogram does not count int_code_end, which ends every module.
{ cut -f2 "$TMP/hist.tsv"; echo int_code_end; } | sort -u >"$TMP/present.txt"
comm -23 "$TMP/used.txt" "$TMP/present.txt" >"$TMP/missing.txt"
# Opcodes in the test programs that the OTP tree does not use (the VM need
# not implement them, so the tests should not contain them either).
comm -13 "$TMP/used.txt" "$TMP/present.txt" >"$TMP/extra.txt"

# Opcodes that the OTP 25 compiler cannot produce from source code, with the
# reason (opcode<TAB>reason).
cat >"$TMP/known.tsv" <<'EOF'
EOF

if [ $VERBOSE = 1 ]; then
    while read -r op; do
        total=$(awk -F'\t' -v op="$op" '$2 == op { s += $3 } END { print s + 0 }' "$TMP/hist.tsv")
        mods=$(awk -F'\t' -v op="$op" '$2 == op { printf "%s%s", sep, $1; sep = "," }' "$TMP/hist.tsv")
        printf '%-22s %7s  %s\n' "$op" "$total" "$mods"
    done <"$TMP/used.txt"
    echo
fi

nused=$(wc -l <"$TMP/used.txt")
nmissing=$(wc -l <"$TMP/missing.txt")
echo "modules: $(ls "$TMP"/ebin/*.beam | wc -l); used opcodes: $nused; covered: $((nused - nmissing)); not covered: $nmissing"
status=0
while read -r op; do
    reason=$(awk -F'\t' -v op="$op" '$1 == op { print $2 }' "$TMP/known.tsv")
    if [ -n "$reason" ]; then
        echo "  not covered: $op -- $reason"
    else
        echo "  not covered: $op -- NOT EXPLAINED: add a test program that produces it"
        status=1
    fi
done <"$TMP/missing.txt"
while read -r op; do
    mods=$(awk -F'\t' -v op="$op" '$2 == op { printf "%s%s", sep, $1; sep = "," }' "$TMP/hist.tsv")
    echo "  not used by OTP but present in: $mods: $op"
    status=1
done <"$TMP/extra.txt"
exit $status
