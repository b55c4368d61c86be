/**
 * The server's JMX layer: the MXBeans of DESIGN.md's "JMX contract" (server, tunables, ring, one
 * per I/O path, connections), live reconfiguration that validates a change completely and applies
 * it at one safe point on the loop, and the one-port RMI connector with roles and TLS. Nothing here
 * touches loop state except inside {@code Loop.call}, on either engine.
 */
package dev.ringway.server.jmx;
