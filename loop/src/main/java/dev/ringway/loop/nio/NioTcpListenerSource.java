package dev.ringway.loop.nio;

import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.uring.Errno;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listening socket on the {@link NioLoop}: a non-blocking {@link ServerSocketChannel}
 * accepted from on readiness until it has no more connections waiting (counted as EAGAIN), each
 * accept counted on {@code tcp.accept} as one operation of 0 bytes, as on the ring. Each new
 * connection becomes a stream for the owner the {@link StreamAcceptor} names — unless {@code
 * io.tcp.maxConnections} streams are already open, in which case it is closed at once and counted
 * as slot exhaustion, exactly as {@link TcpListenerSource} does.
 *
 * <p>An accept that fails (out of fds, say) stops accepting for {@link StreamAcceptor#RETRY_NANOS}
 * instead of spinning on a socket that stays ready.
 *
 * <p>Live changes: {@link #setMaxConnections} applies to the next accepted connection; lowering it
 * refuses new ones and never closes existing ones.
 */
public final class NioTcpListenerSource<A> implements NioSource {
  private static final Logger log = LoggerFactory.getLogger(NioTcpListenerSource.class);

  /** Connections accepted per readiness before the loop moves on. */
  static final int BATCH = 16;

  private final ServerSocketChannel channel;
  private final NioTcpStreamSource<A> streams;
  private final StreamAcceptor<A> acceptor;
  private SelectionKey key;
  private PathCounters counters;
  private int maxConnections;
  private long retryAt;
  private long refused;

  /**
   * A source on the bound, listening {@code channel} (switched to non-blocking mode) that admits at
   * most {@code maxConnections} open {@code streams} at once.
   */
  public NioTcpListenerSource(
      ServerSocketChannel channel,
      int maxConnections,
      NioTcpStreamSource<A> streams,
      StreamAcceptor<A> acceptor)
      throws IOException {
    requirePositive(maxConnections);
    this.channel = channel;
    this.maxConnections = maxConnections;
    this.streams = streams;
    this.acceptor = acceptor;
    channel.configureBlocking(false);
  }

  /** Adds this source to {@code loop}. */
  public void registerOn(NioLoop loop) {
    loop.register(this);
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** Connections accepted and closed at once because {@code maxConnections} were open. */
  public long refused() {
    return refused;
  }

  /** Changes how many streams may be open at once; existing ones stay. Loop thread only. */
  public void setMaxConnections(int maxConnections) {
    requirePositive(maxConnections);
    this.maxConnections = maxConnections;
    counters.slots(maxConnections);
  }

  @Override
  public void arm(NioLoop loop) throws IOException {
    this.counters = loop.counters(PathName.TCP_ACCEPT);
    counters.slots(maxConnections);
    key = channel.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
  }

  @Override
  public void ready(SelectionKey key) {
    for (int i = 0; i < BATCH; i++) {
      SocketChannel accepted;
      try {
        accepted = channel.accept();
      } catch (IOException e) {
        counters.completedAtOnce(-Errno.EIO);
        log.warn("accept failed: {}", e.getMessage());
        retryAt = System.nanoTime() + StreamAcceptor.RETRY_NANOS;
        key.interestOps(0);
        return;
      }
      if (accepted == null) {
        counters.completedAtOnce(-Errno.EAGAIN);
        return;
      }
      counters.completedAtOnce(0);
      admit(accepted);
    }
  }

  @Override
  public void afterSelect() {
    if (retryAt != 0 && System.nanoTime() - retryAt >= 0) {
      retryAt = 0;
      key.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  @Override
  public void stop() {
    if (key != null && key.isValid()) {
      key.interestOps(0);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("closing the TCP listening channel failed: {}", e.getMessage());
    }
  }

  private void admit(SocketChannel accepted) {
    InetSocketAddress peer = null;
    if (streams.count() < maxConnections) {
      try {
        peer = (InetSocketAddress) accepted.getRemoteAddress();
      } catch (IOException e) {
        log.debug("accepted connection gone before it was asked its address: {}", e.getMessage());
      }
    } else {
      refused++;
      counters.slotExhausted();
    }
    if (peer == null) {
      try {
        accepted.close();
      } catch (IOException e) {
        log.debug("closing refused connection {}: {}", accepted, e.getMessage());
      }
      return;
    }
    A owner = acceptor.accepted(peer);
    acceptor.opened(owner, streams.open(accepted, owner));
  }

  private static void requirePositive(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "io.tcp.maxConnections must be at least 1, got " + maxConnections);
    }
  }
}
