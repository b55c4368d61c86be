#!/usr/bin/env bash
# Builds wolfSSL from Debian 12's source package with DTLS 1.3 into a cache directory, once, and
# prints that directory. Debian's binary package lacks DTLS 1.3; its source package has it.
#
# Layout of the cache (RINGWAY_WOLFSSL_CACHE, default /var/cache/ringway-test/wolfssl):
#   src/               the configured, built source tree (examples/server/server, examples/client/client)
#   prefix/lib/libwolfssl.so, prefix/include/wolfssl/   the installed library and headers
#   .built             written last, holding the configure flags: everything above is complete
# Concurrent callers wait on a lock; a failed build leaves no .built and is retried next time.
set -euo pipefail

CACHE=${RINGWAY_WOLFSSL_CACHE:-/var/cache/ringway-test/wolfssl}
# --enable-dtls-mtu and --enable-sni give the FFM driver wolfSSL_dtls_set_mtu and wolfSSL_UseSNI.
CONFIGURE_FLAGS=(
  --enable-dtls --enable-dtls13 --enable-tls13 --enable-dtls-mtu --enable-sni
  --enable-curve25519 --enable-curve448 --enable-ed25519
  --enable-chacha --enable-poly1305 --enable-aesgcm
  --enable-supportedcurves --enable-ecc --enable-rsapss
  --enable-keylog-export
)
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
# .built holds the flags it was configured with: a build made with other flags is made again.
if [[ -f "$CACHE/.built" && "$(cat "$CACHE/.built")" == "${CONFIGURE_FLAGS[*]}" ]]; then
  echo "$CACHE"
  exit 0
fi
rm -f "$CACHE/.built"

log="$CACHE/build.log"
: >"$log"
step() { echo "wolfssl: $*" >&2; }
run() { "$@" >>"$log" 2>&1 || { step "failed: $* (see $log)"; tail -n 30 "$log" >&2; exit 1; }; }

if ! grep -rqsE '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qsE '^deb-src .*bookworm' /etc/apt/sources.list; then
  step "adding a deb-src entry for bookworm"
  cat >/etc/apt/sources.list.d/ringway-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
step "installing build tools and fetching the source package"
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq autoconf automake libtool make gcc dpkg-dev
rm -rf "$CACHE/src" "$CACHE/prefix" "$CACHE/fetch"
mkdir -p "$CACHE/fetch"
(cd "$CACHE/fetch" && run apt-get source -qq wolfssl)
srcdir=$(find "$CACHE/fetch" -maxdepth 1 -mindepth 1 -type d -name 'wolfssl-*' | head -n 1)
[[ -n "$srcdir" ]] || { step "apt-get source wolfssl produced no source tree"; exit 1; }
mv "$srcdir" "$CACHE/src"
rm -rf "$CACHE/fetch"

step "configuring and building (about a minute)"
cd "$CACHE/src"
run ./autogen.sh
run ./configure --prefix="$CACHE/prefix" "${CONFIGURE_FLAGS[@]}"
run make -j"$(nproc)"
run make install
echo "${CONFIGURE_FLAGS[*]}" >"$CACHE/.built"
step "built into $CACHE"
echo "$CACHE"
