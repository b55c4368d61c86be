/**
 * The Lightway wire format of protocol versions 1.1–1.3: the 16-byte UDP outer header and every
 * frame carried inside (D)TLS, encoded and decoded big-endian with the digest's exact error kinds.
 * Decoding is transactional (a buffer advances only past a complete, valid frame) and the data path
 * reads Data frames through {@link dev.ringway.core.wire.FrameCursor} without copying.
 */
package dev.ringway.core.wire;
