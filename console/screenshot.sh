#!/usr/bin/env bash
# Regenerates console/docs/console.png: the console under Xvfb, connected to the server of a running
# `./ringway demo`, with ping traffic through the tunnel; after a minute it lowers io.tun.rxSlots
# from 64 to 8 through the Tuning tab, so the picture shows EAGAIN per second falling at the same
# throughput, and saves the window.
#
#   sudo ./ringway demo                 # in one terminal; wait for "ringway demo: running"
#   sudo console/screenshot.sh [FILE]   # in another
#
# Needs root (for ip netns exec), Xvfb, xdotool, ImageMagick and GTK 3:
#   apt-get install xvfb xdotool imagemagick libgtk-3-0
# SERVER_NS, CLIENT_NS, SERVER_INSIDE_IP and CONSOLE_CMD override the demo's names and
# `./ringway console` for other topologies.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=${1:-$ROOT/console/docs/console.png}
SERVER_NS=${SERVER_NS:-ringway-demo-server}
CLIENT_NS=${CLIENT_NS:-ringway-demo-client}
SERVER_INSIDE_IP=${SERVER_INSIDE_IP:-10.125.0.6}
CONSOLE_CMD=${CONSOLE_CMD:-$ROOT/ringway console}
SCREEN=${SCREEN:-:97}

for tool in Xvfb xdotool import ip; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing (see the header of $0)" >&2; exit 1; }
done
ip netns list | grep -q "^$SERVER_NS" || {
  echo "screenshot: namespace $SERVER_NS not found: start 'sudo ./ringway demo' first" >&2
  exit 1
}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

Xvfb "$SCREEN" -screen 0 1280x860x24 >/dev/null 2>&1 &
PIDS+=($!)
export DISPLAY=$SCREEN

# Bounded traffic through the tunnel, to the demo's own namespaces only.
ip netns exec "$CLIENT_NS" ping -q -i 0.002 -s 1200 -w 240 "$SERVER_INSIDE_IP" >/dev/null 2>&1 &
PIDS+=($!)

# The demo's JMX listens on the server namespace's loopback, so the console runs in that namespace.
# shellcheck disable=SC2086
ip netns exec "$SERVER_NS" $CONSOLE_CMD 127.0.0.1:27691 >/tmp/ringway-console-screenshot.log 2>&1 &
PIDS+=($!)
WINDOW=$(timeout 180 xdotool search --sync --name "Ringway console" | head -1)

click() { # x y, relative to the window
  xdotool mousemove --window "$WINDOW" "$1" "$2" click 1
  sleep 0.5
}

echo "screenshot: charting for 60 s before the change …"
sleep 60
click 118 79                          # the Tuning tab
click 415 213                         # io.tun.rxSlots, pending
xdotool key ctrl+a type 8
sleep 0.5
click 37 489                          # Apply
click 47 79                           # the Dashboard tab
echo "screenshot: charting for 30 s after the change …"
sleep 30
import -window "$WINDOW" "$OUT"
echo "screenshot: wrote $OUT"
