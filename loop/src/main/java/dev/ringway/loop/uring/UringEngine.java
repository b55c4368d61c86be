package dev.ringway.loop.uring;

import dev.ringway.loop.DataPlane;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.Engine;
import dev.ringway.loop.InsideReceiver;
import dev.ringway.loop.IoSettings;
import dev.ringway.loop.Knobs;
import dev.ringway.loop.Loop;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.TunWriter;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Ring;
import dev.ringway.uring.RingOptions;
import dev.ringway.uring.Tun;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The io_uring engine: one {@link EventLoop} on one ring, with {@link TunSource}, {@link
 * UdpSource}, {@link TcpListenerSource} and {@link TcpStreamSource} on it. Every knob is live here,
 * the ring's included.
 */
public final class UringEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(UringEngine.class);
  private static final int TUN_RX = 8;
  private static final int TUN_TX = 9;
  private static final int UDP_RX = 10;
  private static final int UDP_TX = 11;
  private static final int TCP_ACCEPT = 12;
  private static final int TCP_RX = 13;
  private static final int TCP_TX = 14;
  private static final int LISTEN_BACKLOG = 128;

  @Override
  public String name() {
    return "uring";
  }

  /**
   * Why this process may not set up a ring with {@code settings} (seccomp, {@code
   * kernel.io_uring_disabled}, an old kernel), or null when it may: one ring is set up and closed.
   */
  public static LinuxException unavailable(IoSettings settings) {
    try {
      Ring.open(ringOptions(settings)).close();
      return null;
    } catch (LinuxException e) {
      return e;
    }
  }

  @Override
  public DataPlane open(IoSettings settings) throws IOException {
    return new Plane(settings);
  }

  /** The options a ring for these settings is set up with, at start and on every migration. */
  static RingOptions ringOptions(int entries, int cqEntries, int sqpollIdleMillis) {
    RingOptions options =
        sqpollIdleMillis > 0
            ? RingOptions.of(entries).withSqpoll(sqpollIdleMillis)
            : RingOptions.singleIssuer(entries);
    return options.withCqEntries(cqEntries);
  }

  private static RingOptions ringOptions(IoSettings settings) {
    return ringOptions(
        settings.ringEntries(), settings.ringCqEntries(), settings.sqpollIdleMillis());
  }

  private static final class Plane extends DataPlane {
    private final EventLoop loop;

    Plane(IoSettings settings) throws LinuxException {
      super(settings);
      this.loop = new EventLoop(ringOptions(settings), settings.tickNanos(), settings.statsNanos());
      knobs()
          .ring(
              new Knobs.RingKnob() {
                @Override
                public String migrate(int entries, int cqEntries, int sqpollIdleMillis)
                    throws LinuxException {
                  loop.migrate(ringOptions(entries, cqEntries, sqpollIdleMillis));
                  return ", ring migrated (generation " + loop.generation() + ")";
                }

                @Override
                public String resize(int entries) throws LinuxException {
                  boolean inPlace = loop.resizeRing(entries);
                  return inPlace
                      ? ", ring resized in place"
                      : ", ring migrated (generation " + loop.generation() + ")";
                }
              });
    }

    @Override
    public Loop loop() {
      return loop;
    }

    @Override
    public TunWriter tun(Tun tun, InsideReceiver receiver) {
      IoSettings settings = settings();
      TunSource source =
          new TunSource(
              tun,
              settings.tunRxSlots(),
              settings.tunBlocking(),
              txPool(),
              TUN_RX,
              TUN_TX,
              receiver);
      source.registerOn(loop);
      knobs().add("io.tun.rxSlots", source::resize);
      knobs().add("io.tun.blocking", blocking -> source.setBlocking(blocking != 0));
      return source;
    }

    @Override
    protected DatagramSender openDatagrams(InetSocketAddress bind, DatagramReceiver receiver)
        throws IOException {
      int socket = bound(bind, LinuxSockets.SOCK_DGRAM, "udp");
      UdpSource source;
      try {
        source = new UdpSource(socket, settings().udpRxSlots(), txPool(), UDP_RX, UDP_TX, receiver);
      } catch (LinuxException e) {
        closeQuietly(socket);
        throw e;
      }
      source.registerOn(loop);
      knobs().add("io.udp.rxSlots", source::resize);
      return source;
    }

    @Override
    protected <A> Listener openListener(
        InetSocketAddress bind, StreamHandler<A> handler, StreamAcceptor<A> acceptor)
        throws IOException {
      int socket = bound(bind, LinuxSockets.SOCK_STREAM, "tcp");
      TcpStreamSource<A> streams =
          new TcpStreamSource<>(txPool(), TCP_RX, TCP_TX, settings().tcpSocketBuffer(), handler);
      TcpListenerSource<A> listener;
      try {
        listener =
            new TcpListenerSource<>(
                socket, TCP_ACCEPT, settings().tcpMaxConnections(), streams, acceptor);
      } catch (LinuxException e) {
        closeQuietly(socket);
        throw e;
      }
      listener.registerOn(loop);
      streams.registerOn(loop);
      return new Listener(streams, listener::setMaxConnections);
    }

    @Override
    protected String startFailure(Throwable cause) {
      return cause instanceof LinuxException linux
          ? MissingCapability.ring(linux)
          : super.startFailure(cause);
    }

    /** A socket of {@code type} bound to {@code bind} (and listening, for streams). */
    private static int bound(InetSocketAddress bind, int type, String protocol) throws IOException {
      int socket = -1;
      try {
        socket = LinuxSockets.socketFor(bind, type);
        LinuxSockets.setOption(socket, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_REUSEADDR, 1);
        LinuxSockets.bind(socket, bind);
        if (type == LinuxSockets.SOCK_STREAM) {
          LinuxSockets.listen(socket, LISTEN_BACKLOG);
        }
        return socket;
      } catch (LinuxException e) {
        if (socket >= 0) {
          closeQuietly(socket);
        }
        throw bindFailed(protocol, bind, e);
      }
    }

    private static void closeQuietly(int fd) {
      try {
        LinuxFiles.close(fd);
      } catch (LinuxException e) {
        log.debug("closing socket {}: {}", fd, e.getMessage());
      }
    }
  }
}
