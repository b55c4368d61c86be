/**
 * The one-thread io_uring event loop that server and client share. One {@link EventLoop} owns one
 * ring; I/O sources (TUN, UDP, TCP) own their slots and buffers and implement the same few verbs
 * (arm, complete, resize); the {@link TxPool} holds the shared send slots; other threads reach the
 * loop only through its command queue and eventfd. The {@code nio} engine ({@link NioLoop} with its
 * TUN, UDP and TCP sources) runs the same protocol code on a selector behind the {@link Loop},
 * {@link TunWriter}, {@link DatagramSender} and {@link StreamSender} seams.
 */
package dev.ringway.loop;
