#!/usr/bin/env bash
# Makes sure the PostgreSQL server the test suite needs is reachable: start it where it is
# installed but stopped, install it from Debian's packages where it is missing, and stop with a
# clear message where neither is possible. The suite never skips PostgreSQL silently.
set -euo pipefail
URL="${1:-postgresql://postgres@127.0.0.1:5432/postgres}"
HOST="$(sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]+).*#\2#' <<<"$URL")"
PORT="$(sed -nE 's#^[a-z]+://([^@/]*@)?[^/:?]+:([0-9]+).*#\2#p' <<<"$URL")"
PORT="${PORT:-5432}"

say() { echo "ensure-postgres: $*" >&2; }
reachable() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT" -t 3
    else
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
start_cluster() {
    local version
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    say "starting PostgreSQL $version cluster 'main'"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do reachable && return 0; sleep 1; done
    return 1
}
trust_loopback() {
    # A freshly installed Debian cluster asks for a password on TCP; the tests connect as the
    # postgres user over 127.0.0.1 the way this project's machines are set up (trust).
    local version hba
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! as_root grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
        say "allowing the postgres user on 127.0.0.1 without a password in $hba"
        as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    fi
}

if reachable; then exit 0; fi

if [ -d /etc/postgresql ] && [ -n "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
    start_cluster && exit 0
    say "PostgreSQL is installed but did not start; see /var/log/postgresql/." && exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL is not installed; installing it from Debian's packages"
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
        || { as_root apt-get update -q >/dev/null \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }; then
        trust_loopback
        start_cluster && exit 0
    fi
fi

cat >&2 <<MSG
ensure-postgres: no PostgreSQL server is reachable at $HOST:$PORT and none could be started or
installed here. The test suite runs every integration test on PostgreSQL as well as SQLite and
will not skip it. Start a server there (trust auth for user postgres), or point
KEZEK_TEST_POSTGRES_URL at one (now: $URL), then run 'make test' again.
MSG
exit 1
