/**
 * The loop contract both engines implement, and all that the server's and client's protocol code
 * see of them: the {@link dev.ringway.loop.Loop} (one owner thread, commands, ticks, snapshots),
 * the {@link dev.ringway.loop.Engine} that opens a {@link dev.ringway.loop.DataPlane} with its
 * {@link dev.ringway.loop.Knobs}, the shared {@link dev.ringway.loop.TxPool} and per-stream {@link
 * dev.ringway.loop.SendQueue}, the path counters, and the seams in both directions (inside receiver
 * and TUN writer, datagram receiver and sender, stream acceptor, handler and sender). No kernel
 * type (message header, fd, channel) appears here. The wings are {@code dev.ringway.loop.uring} and
 * {@code dev.ringway.loop.nio}; neither imports the other.
 */
package dev.ringway.loop;
