#!/usr/bin/env bash
# Regenerate the PNG pictures in screenshots/ from the real program.
#
# Usage (from the repository root, on Debian/Ubuntu, as root or as a user with sudo):
#
#     scripts/screenshots.sh            # all pictures
#     scripts/screenshots.sh help light # only screenshots/help.png and screenshots/light.png
#
# Pictures: services senders attach detach help narrow-80x24 light.
#
# What it does, for each picture: builds ./senderpool, starts `senderpool --demo` in a private tmux
# server (own socket, no tmux config), drives it with send-keys, waits (polling `capture-pane -p`,
# with a deadline) for the text that proves the screen is there and for the screen to stop changing,
# captures it with colours (`capture-pane -e -p`), turns that into HTML with aha and renders the
# HTML to a PNG with headless Chromium in DejaVu Sans Mono 16px/19px.
#
# Needs: go (to build), tmux, aha, chromium, DejaVu fonts, iproute2 and unshare (util-linux).
# Missing ones are installed with:
#
#     apt-get update
#     apt-get install -y --no-install-recommends tmux aha chromium fonts-dejavu-core iproute2
#
# (run through sudo when not root). On Ubuntu, the `chromium` package may be a snap shim; install
# Chromium any way you like and put `chromium` (or `chromium-browser`) on PATH.
#
# Reproducible: the demo data and dates are fixed, but the demo server listens on a random
# loopback port that the detail pane shows in its URL field. So the program runs in its own
# network namespace (`unshare -rn`, works unprivileged where user namespaces are allowed) whose
# ephemeral port range is 40000-40004: the kernel then always gives the listener port 40001.
# Without namespaces the script still runs, warns, and pictures that show a URL differ run to run.
# The environment of the program is emptied (env -i) so no TWILIO_*, SENDERPOOL_*, CI or NO_COLOR
# variable of yours changes the pictures.
#
# Light picture: the program asks the terminal for its background colour (OSC 11). A detached tmux
# 3.3 answers that query from the pane's style, and only when a background colour is set, so the
# light picture starts tmux with `window-style bg=#fafafa,fg=#1a1a1a`; the script checks that the
# light palette's accent (#5A3FC0) is in the captured colours and fails otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -f go.mod && -f main.go ]] || { echo "run me from the senderpool repository" >&2; exit 1; }
OUT=screenshots
ALL=(services senders attach detach help narrow-80x24 light)
if (($#)); then WANT=("$@"); else WANT=("${ALL[@]}"); fi
for w in "${WANT[@]}"; do
	[[ " ${ALL[*]} " == *" $w "* ]] || { echo "unknown picture '$w' (have: ${ALL[*]})" >&2; exit 2; }
done

# ---- tools ---------------------------------------------------------------------------------
find_chromium() { command -v chromium || command -v chromium-browser || true; }
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v aha >/dev/null || missing+=(aha)
[[ -n $(find_chromium) ]] || missing+=(chromium)
fc-list 2>/dev/null | grep -q 'DejaVu Sans Mono' || missing+=(fonts-dejavu-core)
command -v ip >/dev/null || missing+=(iproute2)
if ((${#missing[@]})); then
	echo "installing: ${missing[*]}" >&2
	SUDO=()
	((EUID == 0)) || SUDO=(sudo)
	"${SUDO[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "go is needed to build senderpool (https://go.dev/dl/)" >&2; exit 1; }
CHROMIUM=$(find_chromium)

# ---- work area (short path: tmux sockets must fit in 108 bytes) ------------------------------
WORK=$(mktemp -d /tmp/spshot.XXXXXX)
SOCK=$WORK/s
cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/home" "$WORK/config" "$WORK/chrome" "$OUT"

echo "building senderpool" >&2
go build -o "$WORK/senderpool" .

# Pin the demo server's port (see the header) if a network namespace can be made here.
NETNS=(sh -c 'ip link set lo up && echo "40000 40004" > /proc/sys/net/ipv4/ip_local_port_range && exec "$@"' netns)
if unshare -rn "${NETNS[@]}" true 2>/dev/null; then
	NETNS=(unshare -rn "${NETNS[@]}")
else
	echo "warning: cannot create a network namespace (unshare -rn); the demo server's random port" >&2
	echo "         shows in the detail pane, so senders, narrow-80x24 and light will differ run to run" >&2
	NETNS=()
fi

# ---- driving the program ---------------------------------------------------------------------
t() { tmux -u -S "$SOCK" "$@"; }

# start COLS ROWS [light]: a fresh tmux server running the demo.
start() {
	local conf=/dev/null
	if [[ ${3:-} == light ]]; then
		conf=$WORK/light.conf
		printf '%s\n' "set -g window-style 'bg=#fafafa,fg=#1a1a1a'" >"$conf"
	fi
	t kill-server 2>/dev/null || true
	tmux -u -S "$SOCK" -f "$conf" new-session -d -x "$1" -y "$2" \
		"${NETNS[@]}" env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 TZ=UTC \
		TERM=xterm-256color COLORTERM=truecolor SENDERPOOL_CONFIG_DIR="$WORK/config" \
		"$WORK/senderpool" --demo
}

# wait_for TEXT...: until every TEXT is on the screen (deadline 20 s).
wait_for() {
	local deadline=$((SECONDS + 20)) screen text ok
	while :; do
		screen=$(t capture-pane -p 2>/dev/null || true)
		ok=1
		for text in "$@"; do [[ $screen == *"$text"* ]] || ok=0; done
		((ok)) && return 0
		if ((SECONDS >= deadline)); then
			printf 'timed out waiting for: %s\n--- screen ---\n%s\n' "$*" "$screen" >&2
			return 1
		fi
		sleep 0.05
	done
}

# settle: until the screen (with colours) is the same on three polls in a row (deadline 20 s),
# so no half-drawn frame or spinner is captured.
settle() {
	local deadline=$((SECONDS + 20)) prev="" cur same=0
	while :; do
		cur=$(t capture-pane -e -p)
		if [[ $cur == "$prev" ]]; then
			((++same >= 3)) && return 0
		else
			same=0 prev=$cur
		fi
		if ((SECONDS >= deadline)); then
			echo "the screen never settled" >&2
			return 1
		fi
		sleep 0.1
	done
}

keys() { t send-keys "$@"; }

# shot NAME COLS ROWS [light]: capture the pane and render screenshots/NAME.png.
shot() {
	local name=$1 cols=$2 rows=$3 theme=${4:-dark} pad=16 bg fg ahaflags=(--no-header) w h
	settle
	t capture-pane -e -p >"$WORK/$name.ansi"
	if [[ $theme == light ]]; then
		bg='#fafafa' fg='#1a1a1a'
		# the light palette's accent is #5A3FC0; the dark one's #B4A2FF
		grep -q '38;2;90;63;192m' "$WORK/$name.ansi" || {
			echo "light picture: the program did not pick its light palette" >&2
			return 1
		}
	else
		bg='#1a1a1a' fg='#e6e6e6' ahaflags+=(--black)
	fi
	w=$(awk -v c="$cols" -v p=$pad 'BEGIN { x = c * 9.63 + 2 * p; printf "%d", (x == int(x)) ? x : int(x) + 1 }')
	h=$((rows * 19 + 2 * pad))
	{
		printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>\n'
		printf 'html, body { margin: 0; background: %s; }\n' "$bg"
		printf 'pre { margin: 0; padding: %dpx; color: %s; font-family: "DejaVu Sans Mono", monospace;\n' $pad "$fg"
		printf '      font-size: 16px; line-height: 19px; font-variant-ligatures: none; }\n'
		printf '</style></head><body><pre>'
		aha "${ahaflags[@]}" <"$WORK/$name.ansi"
		printf '</pre></body></html>\n'
	} >"$WORK/$name.html"
	HOME=$WORK/home "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--force-device-scale-factor=1 --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$WORK/chrome" --window-size="$w,$h" \
		--screenshot="$PWD/$OUT/$name.png" "file://$WORK/$name.html" >"$WORK/chromium.log" 2>&1 || {
		cat "$WORK/chromium.log" >&2
		return 1
	}
	[[ -s $OUT/$name.png ]] || { echo "chromium wrote no $OUT/$name.png" >&2; cat "$WORK/chromium.log" >&2; return 1; }
	echo "$OUT/$name.png (${cols}x${rows}, ${w}x${h} px)" >&2
	t kill-server 2>/dev/null || true
}

# open_senders: from the service picker into Acme Notifications, cursor on the third sender.
open_senders() {
	wait_for "3 Messaging Services"
	keys Enter
	wait_for "· pool " "Details"
	keys j j
	wait_for "› whatsapp:+4915112345678"
}

# ---- the pictures ----------------------------------------------------------------------------
picture() {
	case $1 in
	services)
		start 100 30
		wait_for "3 Messaging Services" "Sandbox (empty)"
		shot services 100 30
		;;
	senders)
		start 120 32
		open_senders
		shot senders 120 32
		;;
	attach)
		start 120 32
		open_senders
		keys a
		wait_for "not in this service" "whatsapp:+14155550123"
		shot attach 120 32
		;;
	detach)
		start 120 32
		open_senders
		keys d
		wait_for "Detach this sender?" "whatsapp:+4915112345678"
		shot detach 120 32
		;;
	help)
		start 120 32
		open_senders
		keys '?'
		wait_for "(? or esc closes)"
		shot help 120 32
		;;
	narrow-80x24)
		start 80 24
		open_senders
		shot narrow-80x24 80 24
		;;
	light)
		start 120 32 light
		open_senders
		shot light 120 32 light
		;;
	esac
}

for p in "${WANT[@]}"; do picture "$p"; done
