/**
 * The Linux client: one Lightway connection, a TUN device and its UDP socket or TCP stream on the
 * same io_uring loop as the server. {@link dev.ringway.client.ClientSession} holds the reconnecting
 * protocol side without any I/O, so a load generator can drive many of them; {@link
 * dev.ringway.client.UdpClient} and {@link dev.ringway.client.TcpClient} wire one to a TUN device
 * and the outside; {@link dev.ringway.client.ClientMain} is the command.
 */
package dev.ringway.client;
