#!/bin/sh
# Erlang benchmark driver: stock erl against oxbeam.
#
# Compiles benches/erlang/*.erl into a temporary directory, then runs every
# program (or the ones named on the command line) RUNS times on stock erl:
#     erl -noshell -pa DIR -eval 'MOD:main(), halt().'
# and, when OXBEAM names an oxbeam binary, RUNS times on oxbeam as well:
#     $OXBEAM run -pa DIR MOD
# The median wall time (start-up included; the `empty` program shows that
# overhead) is reported per VM. The printed results must agree between all
# runs of both VMs, otherwise the program is marked MISMATCH.
#
# Usage: run.sh [-n RUNS] [MOD...]
# Environment: OXBEAM (oxbeam binary), ERL, ERLC, RUNS (default 3).
# Exit status: 0 when every program ran and all outputs agreed.
set -u

ERL=${ERL:-erl}
ERLC=${ERLC:-erlc}
RUNS=${RUNS:-3}
OXBEAM=${OXBEAM:-}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "-n" ]; then
    RUNS=$2
    shift 2
fi
case "$RUNS" in '' | *[!0-9]* | 0) echo "run.sh: bad number of runs: $RUNS" >&2; exit 2 ;; esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/oxbeam-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/ebin"

for src in "$HERE"/*.erl; do
    (cd "$HERE" && "$ERLC" -o "$TMP/ebin" "$(basename "$src")") || { echo "erlc failed: $src" >&2; exit 2; }
done

if [ $# -gt 0 ]; then
    mods="$*"
else
    mods=""
    for src in "$HERE"/*.erl; do mods="$mods $(basename "$src" .erl)"; done
fi

now_ns() { date +%s%N; }

# run_vm VM MOD I: runs once, leaves stdout in $TMP/MOD.VM.I.out, prints ms
# (or FAIL when the exit status is not 0)
run_vm() {
    vm=$1 mod=$2 i=$3
    out="$TMP/$mod.$vm.$i.out"
    start=$(now_ns)
    if [ "$vm" = stock ]; then
        "$ERL" -noshell -pa "$TMP/ebin" -eval "$mod:main(), halt()." >"$out" 2>"$TMP/$mod.$vm.$i.err" </dev/null
    else
        "$OXBEAM" run -pa "$TMP/ebin" "$mod" >"$out" 2>"$TMP/$mod.$vm.$i.err" </dev/null
    fi
    rc=$?
    end=$(now_ns)
    if [ $rc -ne 0 ]; then
        echo FAIL
    else
        echo $(((end - start) / 1000000))
    fi
}

# median of the numbers given as arguments (FAIL if any run failed)
median() {
    for x in "$@"; do [ "$x" = FAIL ] && { echo FAIL; return; }; done
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

status=0
if [ -n "$OXBEAM" ]; then
    printf '%-12s %10s %10s %8s  %s\n' program "stock ms" "oxbeam ms" ratio check
else
    printf '%-12s %10s  %s\n' program "stock ms" check
fi

for mod in $mods; do
    if [ ! -f "$TMP/ebin/$mod.beam" ]; then
        echo "$mod: no such program" >&2
        status=1
        continue
    fi
    vms=stock
    [ -n "$OXBEAM" ] && vms="stock oxbeam"
    stock_times="" ox_times=""
    i=1
    while [ $i -le "$RUNS" ]; do
        for vm in $vms; do
            t=$(run_vm "$vm" "$mod" $i)
            if [ "$vm" = stock ]; then stock_times="$stock_times $t"; else ox_times="$ox_times $t"; fi
        done
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    stock_ms=$(median $stock_times)
    check=ok
    ref="$TMP/$mod.stock.1.out"
    for f in "$TMP/$mod".*.out; do
        cmp -s "$ref" "$f" || check=MISMATCH
    done
    [ "$stock_ms" = FAIL ] && check="FAIL (stock exit status)"
    if [ -n "$OXBEAM" ]; then
        # shellcheck disable=SC2086
        ox_ms=$(median $ox_times)
        if [ "$ox_ms" = FAIL ]; then
            check="FAIL (oxbeam exit status)"
            ratio=-
        elif [ "$stock_ms" = FAIL ]; then
            ratio=-
        else
            ratio=$(awk -v a="$ox_ms" -v b="$stock_ms" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        fi
        printf '%-12s %10s %10s %8s  %s\n' "$mod" "$stock_ms" "$ox_ms" "$ratio" "$check"
    else
        printf '%-12s %10s  %s\n' "$mod" "$stock_ms" "$check"
    fi
    if [ "$check" != ok ]; then
        status=1
        echo "  stock output: $(head -c 300 "$ref")"
        for vm in $vms; do
            [ "$vm" = stock ] && continue
            echo "  $vm output: $(head -c 300 "$TMP/$mod.$vm.1.out")"
            head -n 5 "$TMP/$mod.$vm.1.err" | sed 's/^/  stderr: /'
        done
    fi
done
exit $status
