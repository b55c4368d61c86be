/**
 * The Ringway server: the data plane on the shared io_uring loop, connections, statistics, JMX,
 * live reconfiguration and the command line.
 */
package dev.ringway.server;
