#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: PostgreSQL on 127.0.0.1:5432, Redis on
# 127.0.0.1:6379 (shared rate limit), Debian's Chromium for the browser tests, and PgBouncer
# and HAProxy for the scale-out tests (tests/cluster, bench/cluster.py). Safe to run
# repeatedly: apt runs only when something is missing.
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

# Chromium for the browser tests (never a downloaded browser), a CJK font for readable pages.
if { ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi wqy; } \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# PgBouncer and HAProxy for tests/cluster and bench/cluster.py (started there on free ports,
# with their own configs; the packages' own services are not used).
missing=()
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v redis-server >/dev/null || command -v redis-cli >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' >/dev/null
fi
