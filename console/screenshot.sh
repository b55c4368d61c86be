#!/usr/bin/env bash
# Regenerates docs/console.png: the console under Xvfb, logged in to the server of a running
# `./ringway demo`, with ping traffic through the tunnel. After 40 s of charting it lowers
# io.tun.rxSlots from 64 to 8 through the Tuning tab, so the picture (a one-minute window) shows
# EAGAIN per second on tun.rx falling at the same throughput, and saves the window.
#
#   sudo ./ringway demo                 # in one terminal; wait for "ringway demo: running"
#   sudo console/screenshot.sh [FILE]   # in another; FILE defaults to docs/console.png
#
# Needs root (for ip netns exec), Xvfb, xdotool, ImageMagick and GTK 3:
#   apt-get install xvfb xdotool imagemagick libgtk-3-0
# The JMX address, user and password are read from the running demo's server.yaml; JMX_ADDRESS,
# JMX_USER and JMX_PASSWORD override them, and CLIENT_NS, SERVER_INSIDE_IP and CONSOLE_CMD the
# demo's client namespace, the server's inside address and `./ringway console`.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$(readlink -f "${1:-$ROOT/docs/console.png}")
CLIENT_NS=${CLIENT_NS:-ringway-demo-client}
SERVER_INSIDE_IP=${SERVER_INSIDE_IP:-10.125.0.6}
CONSOLE_CMD=${CONSOLE_CMD:-$ROOT/ringway console}
SCREEN=${SCREEN:-:97}

for tool in Xvfb xdotool import ip; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing (see the header of $0)" >&2; exit 1; }
done
ip netns list | grep -q "^$CLIENT_NS" || {
  echo "screenshot: namespace $CLIENT_NS not found: start 'sudo ./ringway demo' first" >&2
  exit 1
}

# The demo writes its JMX bind and operator login into the server.yaml its server runs with.
DEMO_YAML=$(ps -eo args | sed -n 's/.*RingwayCli server -c \([^ ]*ringway-demo[^ ]*\/server\.yaml\).*/\1/p' | head -1)
yaml_value() { [[ -n "$DEMO_YAML" ]] && sed -n "s/^ *$1 *\"\{0,1\}\([^\",}]*\).*/\1/p" "$DEMO_YAML" | head -1; }
JMX_ADDRESS=${JMX_ADDRESS:-$(yaml_value 'bind:')}
JMX_USER=${JMX_USER:-$(yaml_value '- { name:')}
JMX_PASSWORD=${JMX_PASSWORD:-$(yaml_value '- { name: [^,]*, password:')}
if [[ -z "$JMX_ADDRESS" || -z "$JMX_USER" || -z "$JMX_PASSWORD" ]]; then
  echo "screenshot: cannot read the demo's JMX login (server.yaml: ${DEMO_YAML:-not found});" \
    "set JMX_ADDRESS, JMX_USER and JMX_PASSWORD" >&2
  exit 1
fi

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

Xvfb "$SCREEN" -screen 0 1280x860x24 >/dev/null 2>&1 &
PIDS+=($!)
export DISPLAY=$SCREEN
for _ in $(seq 100); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

# Bounded traffic through the tunnel, to the demo's own namespaces only.
ip netns exec "$CLIENT_NS" ping -q -i 0.002 -s 1200 -w 240 "$SERVER_INSIDE_IP" >/dev/null 2>&1 &
PIDS+=($!)

# shellcheck disable=SC2086
$CONSOLE_CMD >/tmp/ringway-console-screenshot.log 2>&1 &
PIDS+=($!)
WINDOW=$(timeout 180 xdotool search --sync --name "Ringway console" | head -1)
sleep 2

click() { # x y, relative to the window
  xdotool mousemove --window "$WINDOW" "$1" "$2" click 1
  sleep 0.5
}
type_into() { # x y text
  click "$1" "$2"
  xdotool key ctrl+a type -- "$3"
}

type_into 204 18 "$JMX_ADDRESS"       # Server
type_into 419 18 "$JMX_USER"          # user
type_into 544 18 "$JMX_PASSWORD"      # password
click 699 18                          # Connect
sleep 3
click 106 109                         # Window …
sleep 2                               # (the first popup takes a moment)
click 108 109                         # … 1 min
echo "screenshot: charting for 40 s before the change …"
sleep 40
click 118 78                          # the Tuning tab
type_into 415 212 8                   # io.tun.rxSlots, pending
sleep 0.5
click 37 488                          # Apply
click 47 78                           # the Dashboard tab
echo "screenshot: charting for 25 s after the change …"
sleep 25
import -window "$WINDOW" "$OUT"
echo "screenshot: wrote $OUT"
