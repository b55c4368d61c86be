/**
 * The {@code java.nio} wing of the loop: one {@link dev.ringway.loop.nio.NioLoop} drives a
 * selector; sources react to readiness, and the TUN device, which a selector cannot watch, is read
 * by a helper thread. {@link dev.ringway.loop.nio.NioEngine} puts them behind the contract in
 * {@code dev.ringway.loop}: the portable fallback where io_uring is forbidden, and the baseline it
 * is measured against.
 */
package dev.ringway.loop.nio;
