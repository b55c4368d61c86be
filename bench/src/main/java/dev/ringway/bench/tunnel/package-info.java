/**
 * The tunnel benchmark ({@code ./ringway bench tunnel}) and the slot sweep ({@code ./ringway bench
 * slots}): a client, a server and an upstream network namespace joined by veth links, each tunnel
 * set up between client and server in turn, measured with iperf3, ping and {@code /proc} CPU times,
 * and written as CSV, Markdown and a PNG chart under {@code bench/results/}.
 */
package dev.ringway.bench.tunnel;
