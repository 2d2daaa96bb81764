#!/usr/bin/env bash
# Prism mocks of Twilio's Messaging API, served from the official OpenAPI
# files in spec/, for the conformance tests (see conformance/doc.go).
#
#   eval "$(conformance/prism.sh start)"  install Prism if missing, start the
#                                         mocks, print the export lines
#   conformance/prism.sh check            fail if a clean mock refused a request
#   conformance/prism.sh stop             stop the mocks
#
# Six mocks, all on 127.0.0.1, one per spec file and role: v1, v2 and 2010
# "clean" mocks, which only our code's (correct) requests reach, and v1,
# v2 and 2010 "control" mocks for the negative controls, which are refused
# on purpose. Prism's log names neither the User-Agent nor the query of a
# request, so a refusal cannot be traced back to who sent it; separate
# instances keep the clean logs meaningful: any refusal there is a bug.
# They start in parallel in about the time of the slowest: the 2010 file
# (1.8 MB) takes about 9 s and 170 MB per instance.
#
# Environment: PRISM_DIR (install and run dir, default
# /tmp/senderpool-prism), PRISM_V1_PORT, PRISM_V2_PORT,
# PRISM_V1_CONTROL_PORT, PRISM_V2_CONTROL_PORT (4010-4013),
# PRISM_V2010_PORT, PRISM_V2010_CONTROL_PORT (4014, 4015),
# PRISM_START_TIMEOUT (seconds, default 60).
set -euo pipefail

readonly PRISM_VERSION=5.14.2
readonly PRISM_DIR=${PRISM_DIR:-/tmp/senderpool-prism}
readonly RUN_DIR=$PRISM_DIR/run
readonly PRISM_BIN=$PRISM_DIR/node_modules/.bin/prism
readonly HOST=127.0.0.1
readonly START_TIMEOUT=${PRISM_START_TIMEOUT:-60}
SPEC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../spec" && pwd)
readonly SPEC_DIR

# name spec port env-var clean|control
instances() {
  cat <<EOF
v1 twilio_messaging_v1.json ${PRISM_V1_PORT:-4010} SENDERPOOL_PRISM_V1_URL clean
v2 twilio_messaging_v2.json ${PRISM_V2_PORT:-4011} SENDERPOOL_PRISM_V2_URL clean
v1-control twilio_messaging_v1.json ${PRISM_V1_CONTROL_PORT:-4012} SENDERPOOL_PRISM_V1_CONTROL_URL control
v2-control twilio_messaging_v2.json ${PRISM_V2_CONTROL_PORT:-4013} SENDERPOOL_PRISM_V2_CONTROL_URL control
v2010 twilio_api_v2010.json ${PRISM_V2010_PORT:-4014} SENDERPOOL_PRISM_V2010_URL clean
v2010-control twilio_api_v2010.json ${PRISM_V2010_CONTROL_PORT:-4015} SENDERPOOL_PRISM_V2010_CONTROL_URL control
EOF
}

# Everything but the export lines goes to stderr: stdout is eval'ed.
log() { printf 'prism.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# A request the spec allows: the readiness probe leaves no refusal in the log.
probe_url() {
  case $1 in
    twilio_messaging_v1.json) echo "http://$HOST:$2/v1/Services?PageSize=1" ;;
    twilio_messaging_v2.json) echo "http://$HOST:$2/v2/Channels/Senders?Channel=whatsapp&PageSize=1" ;;
    twilio_api_v2010.json) echo "http://$HOST:$2/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IncomingPhoneNumbers.json?PageSize=1" ;;
  esac
}

installed_version() {
  sed -n 's/^  "version": "\(.*\)",$/\1/p' "$PRISM_DIR/node_modules/@stoplight/prism-cli/package.json" 2>/dev/null || true
}

install() {
  if [ -x "$PRISM_BIN" ] && [ "$(installed_version)" = "$PRISM_VERSION" ]; then
    return
  fi
  command -v npm >/dev/null || die "npm not found: install Node.js 20 (Prism $PRISM_VERSION runs on it)"
  log "installing @stoplight/prism-cli@$PRISM_VERSION into $PRISM_DIR"
  local t0
  t0=$(now)
  mkdir -p "$PRISM_DIR"
  npm install --prefix "$PRISM_DIR" --no-audit --no-fund --no-update-notifier --loglevel=error \
    "@stoplight/prism-cli@$PRISM_VERSION" >&2
  [ -x "$PRISM_BIN" ] || die "npm install did not produce $PRISM_BIN"
  log "installed in $(since "$t0")s"
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  install
  mkdir -p "$RUN_DIR"
  local name spec port var role t0
  while read -r name spec port var role; do
    running "$RUN_DIR/$name.pid" && die "$name is already running (pid $(cat "$RUN_DIR/$name.pid")): run '$0 stop' first"
    if curl -s -o /dev/null --max-time 1 "http://$HOST:$port/"; then
      die "port $port is taken by something else; choose others with PRISM_*_PORT"
    fi
  done < <(instances)
  t0=$(now)
  while read -r name spec port var role; do
    # Static mode (no -d): Prism answers with the spec's examples. stdin and
    # stdout are detached, or $(prism.sh start) would wait for Prism to exit.
    "$PRISM_BIN" mock -h "$HOST" -p "$port" "$SPEC_DIR/$spec" \
      </dev/null >"$RUN_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
  done < <(instances)
  local deadline=$((SECONDS + START_TIMEOUT))
  while read -r name spec port var role; do
    until curl -s -o /dev/null --max-time 2 -u ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:x "$(probe_url "$spec" "$port")"; do
      if ! running "$RUN_DIR/$name.pid"; then
        tail -n 20 "$RUN_DIR/$name.log" >&2 || true
        stop >/dev/null 2>&1
        die "$name exited while starting (log above: $RUN_DIR/$name.log)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        stop >/dev/null 2>&1
        die "$name did not answer on port $port within ${START_TIMEOUT}s (log: $RUN_DIR/$name.log)"
      fi
      sleep 0.2
    done
  done < <(instances)
  log "$(instances | wc -l) mocks ready in $(since "$t0")s; logs in $RUN_DIR"
  while read -r name spec port var role; do
    echo "export $var=http://$HOST:$port"
  done < <(instances)
}

# check fails when a clean mock logged a refused request: a validation
# failure, or any request Prism ended with an error (no such path, bad
# content type, no auth, not acceptable). It also fails when the tests
# evidently did not run: a clean mock that saw only its readiness probe, or
# a control mock that refused nothing.
check() {
  local name spec port var role logfile received refused failed=0
  while read -r name spec port var role; do
    logfile=$RUN_DIR/$name.log
    [ -f "$logfile" ] || die "no log for $name: was it started with '$0 start'?"
    received=$(grep -c 'Request received' "$logfile" || true)
    refused=$(grep -c 'did not pass the validation rules' "$logfile" || true)
    if [ "$role" = clean ]; then
      if grep -qE 'did not pass the validation rules|Request terminated with error' "$logfile"; then
        log "FAIL: $name refused requests of ours ($logfile):"
        grep -B3 -A2 -E 'did not pass the validation rules|Request terminated with error' "$logfile" >&2
        failed=1
      elif [ "$received" -le 1 ]; then
        log "FAIL: $name received no request besides the readiness probe: did the tests skip?"
        failed=1
      else
        log "ok: $name accepted all $received requests"
      fi
    elif [ "$refused" -eq 0 ]; then
      log "FAIL: $name refused nothing: the negative controls did not run against it"
      failed=1
    else
      log "ok: $name refused $refused requests, as the negative controls intend"
    fi
  done < <(instances)
  return "$failed"
}

stop() {
  local name spec port var role pid pidfile
  while read -r name spec port var role; do
    pidfile=$RUN_DIR/$name.pid
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # Only a process that is still our Prism: a pid may have been reused.
    if kill -0 "$pid" 2>/dev/null && grep -q prism "/proc/$pid/cmdline" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      log "stopped $name (pid $pid)"
    fi
    rm -f "$pidfile"
  done < <(instances)
}

case ${1:-} in
  start) start ;;
  check) check ;;
  stop) stop ;;
  install) install ;;
  *) die "usage: $0 start|check|stop|install" ;;
esac
