package dev.ringway.server.jmx;

import dev.ringway.loop.EventLoop;
import dev.ringway.loop.TunSource;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.UdpSource;

/**
 * What a live change acts on. {@code udp} is null in TCP mode and {@code tcp} null in UDP mode; a
 * change to the other mode's tunables is then only recorded in the running configuration.
 */
public record LiveIo(
    EventLoop loop, TunSource tun, TxPool txPool, UdpSource udp, TcpTunables tcp) {}
