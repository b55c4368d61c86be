/**
 * The Linux client: one Lightway connection, a TUN device and their UDP socket on the same io_uring
 * loop as the server. {@link dev.ringway.client.ClientSession} holds the reconnecting protocol side
 * without any I/O, so a load generator can drive many of them; {@link dev.ringway.client.UdpClient}
 * wires one to a TUN device and a socket; {@link dev.ringway.client.ClientMain} is the command.
 */
package dev.ringway.client;
