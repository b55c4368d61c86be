package dev.ringway.loop.nio;

import dev.ringway.loop.DataPlane;
import dev.ringway.loop.DatagramReceiver;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.Engine;
import dev.ringway.loop.InsideReceiver;
import dev.ringway.loop.IoSettings;
import dev.ringway.loop.Loop;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.loop.StreamHandler;
import dev.ringway.loop.TunWriter;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.Tun;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nio engine: one {@link NioLoop} on a selector, with {@link NioTunSource}, {@link
 * NioUdpSource}, {@link NioTcpListenerSource} and {@link NioTcpStreamSource} on it. It has no ring,
 * no read slots and no TUN blocking mode, so it offers no knobs for them; TX slots, socket buffers
 * and the connection limit are live as on io_uring.
 */
public final class NioEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(NioEngine.class);
  private static final int LISTEN_BACKLOG = 128;

  @Override
  public String name() {
    return "nio";
  }

  @Override
  public DataPlane open(IoSettings settings) throws IOException {
    return new Plane(settings);
  }

  private static final class Plane extends DataPlane {
    private final NioLoop loop;

    Plane(IoSettings settings) throws IOException {
      super(settings);
      this.loop = new NioLoop(settings.tickNanos(), settings.statsNanos());
    }

    @Override
    public Loop loop() {
      return loop;
    }

    @Override
    public TunWriter tun(Tun tun, InsideReceiver receiver) throws LinuxException {
      NioTunSource source = new NioTunSource(tun, txPool(), receiver);
      source.registerOn(loop);
      return source;
    }

    @Override
    protected DatagramSender openDatagrams(InetSocketAddress bind, DatagramReceiver receiver)
        throws IOException {
      DatagramChannel channel =
          DatagramChannel.open(
              bind.getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      try {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(bind);
      } catch (IOException e) {
        channel.close();
        throw bindFailed("udp", bind, e);
      }
      if (bind.getAddress().isAnyLocalAddress()) {
        log.info(
            "nio engine on a wildcard bind: replies leave from the address the kernel routes"
                + " them from, not necessarily the one a client wrote to (DatagramChannel has"
                + " no IP_PKTINFO); bind one address if clients reach this host on several");
      }
      NioUdpSource source = new NioUdpSource(channel, txPool(), receiver);
      source.registerOn(loop);
      return source;
    }

    @Override
    protected <A> Listener openListener(
        InetSocketAddress bind, StreamHandler<A> handler, StreamAcceptor<A> acceptor)
        throws IOException {
      ServerSocketChannel channel = ServerSocketChannel.open();
      try {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(bind, LISTEN_BACKLOG);
      } catch (IOException e) {
        channel.close();
        throw bindFailed("tcp", bind, e);
      }
      NioTcpStreamSource<A> streams =
          new NioTcpStreamSource<>(txPool(), settings().tcpSocketBuffer(), handler);
      NioTcpListenerSource<A> listener =
          new NioTcpListenerSource<>(channel, settings().tcpMaxConnections(), streams, acceptor);
      listener.registerOn(loop);
      streams.registerOn(loop);
      return new Listener(streams, listener::setMaxConnections);
    }
  }
}
