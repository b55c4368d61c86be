/**
 * JMH microbenchmarks of Ringway's ring and event loop: NOP throughput on a bare {@code Ring}, and
 * UDP echo packets per second on loopback with the same client driver against Ringway's loop,
 * Netty's io_uring and epoll transports and a JDK {@code DatagramChannel} thread. {@link
 * dev.ringway.bench.BenchMain} runs them with defaults for a small machine and writes the results
 * under {@code bench/results/}.
 */
package dev.ringway.bench;
