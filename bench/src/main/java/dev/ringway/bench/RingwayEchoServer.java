package dev.ringway.bench;

import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.uring.EventLoop;
import dev.ringway.loop.uring.UdpSource;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.RingOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The echo as the server runs its outside path: the real {@link EventLoop} and {@link UdpSource},
 * each datagram copied into a {@link TxPool} slot and sent back to the peer it came from.
 *
 * <p>user_data: tag {@value #RX_TAG} for the source's receives, {@value #TX_TAG} for its sends.
 */
final class RingwayEchoServer implements EchoServer {
  private static final int RX_TAG = 8;
  private static final int TX_TAG = 9;
  private static final int RX_SLOTS = 16;
  private static final int TX_SLOTS = 64;
  private static final long TICK_NANOS = 100_000_000L;
  private static final long STATS_NANOS = 1_000_000_000L;

  private final EventLoop loop;
  private final TxPool pool;
  private final InetSocketAddress address;
  private UdpSource udp;
  private Thread thread;

  private RingwayEchoServer(EventLoop loop, TxPool pool, InetSocketAddress address) {
    this.loop = loop;
    this.pool = pool;
    this.address = address;
  }

  static RingwayEchoServer start(RingOptions ring) throws Exception {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    int fd = LinuxSockets.socketFor(any, LinuxSockets.SOCK_DGRAM);
    LinuxSockets.bind(fd, any);
    RingwayEchoServer server =
        new RingwayEchoServer(
            new EventLoop(ring, TICK_NANOS, STATS_NANOS),
            new TxPool(TX_SLOTS),
            LinuxSockets.localAddress(fd));
    server.udp = new UdpSource(fd, RX_SLOTS, server.pool, RX_TAG, TX_TAG, server::echo);
    server.udp.setSocketBuffer(SOCKET_BUFFER_BYTES);
    server.udp.registerOn(server.loop);
    server.thread =
        Thread.ofPlatform()
            .name("ringway-echo")
            .start(() -> {
              try {
                server.loop.run();
              } catch (Exception e) {
                throw new IllegalStateException("the echo loop failed", e);
              }
            });
    server.loop.started().get(5, TimeUnit.SECONDS);
    return server;
  }

  private void echo(ByteBuffer view, int length, InetSocketAddress from, int localIpv4) {
    TxPool.Slot slot = pool.acquire();
    if (slot == null) {
      loop.counters(PathName.UDP_TX).slotExhausted();
      return;
    }
    slot.view().put(0, view, 0, length);
    udp.sendTo(slot, length, from, 0);
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() throws InterruptedException {
    loop.stop();
    thread.join(5_000);
  }
}
