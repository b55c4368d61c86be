package dev.ringway.server.jmx;

import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.EventLoop;
import dev.ringway.loop.Loop;
import dev.ringway.loop.TunSource;
import dev.ringway.loop.TxPool;

/**
 * What a live change acts on. {@code udp} is null in TCP mode and {@code tcp} null in UDP mode; a
 * change to the other mode's tunables is then only recorded in the running configuration. On the
 * nio engine {@code loop} is a {@code NioLoop} and {@code tun} is null: the ring, TUN and
 * receive-slot tunables have no meaning there and are likewise only recorded.
 */
public record LiveIo(Loop loop, TunSource tun, TxPool txPool, DatagramSender udp, TcpTunables tcp) {
  /** The io_uring loop, or null when the server runs on the nio engine. */
  EventLoop ring() {
    return loop instanceof EventLoop ring ? ring : null;
  }
}
