#!/usr/bin/env bash
# Installs stock Erlang/OTP 25 from Debian's packages when no OTP 25 tree is
# under /usr/lib/erlang (or $OXBEAM_OTP_ROOT). oxbeam runs that tree's .beam
# files and uses stock `erl`/`erlc` as the test oracle.
set -euo pipefail
root=${OXBEAM_OTP_ROOT:-/usr/lib/erlang}
have_otp25() {
    command -v erl >/dev/null 2>&1 && command -v erlc >/dev/null 2>&1 &&
        [ "$(cat "$root"/releases/*/OTP_VERSION 2>/dev/null | cut -d. -f1 | head -n1)" = 25 ] &&
        [ -d "$root"/lib/common_test-* ] && [ -d "$root"/lib/erl_interface-* ] &&
        ls "$root"/lib/stdlib-*/src/lists.erl >/dev/null 2>&1
}
if have_otp25; then
    exit 0
fi
echo "otp/install.sh: installing Erlang/OTP 25 from Debian's packages" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y erlang-nox erlang-dev erlang-src erlang-common-test
have_otp25 || { echo "otp/install.sh: OTP 25 still not found under $root" >&2; exit 1; }
