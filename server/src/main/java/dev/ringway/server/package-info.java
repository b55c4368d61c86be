/**
 * The Ringway server: the data plane on the shared io_uring loop (or, with {@code io.engine: nio},
 * on a selector through the same seams), connections, statistics, JMX, live reconfiguration and the
 * command line.
 */
package dev.ringway.server;
