package dev.ringway.loop.uring;

import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.StreamAcceptor;
import dev.ringway.uring.Cqe;
import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Ring;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listening socket: one multishot {@code accept} armed on it (a single-shot accept re-armed
 * after each connection where the kernel has no multishot accept), counted on {@code tcp.accept}.
 * Each new socket becomes a stream for the owner the {@link StreamAcceptor} names — unless {@code
 * io.tcp.maxConnections} streams are already open, in which case it is closed at once and counted
 * as slot exhaustion: a connection the loop could not keep a receive (and a cancel) in flight for
 * must not be taken on.
 *
 * <p>user_data: tag {@code tag}, index 0, generation = the accept's arming count. There are no
 * buffers: the accept reports the new fd and the peer's address is asked of the socket.
 *
 * <p>Live changes: {@link #setMaxConnections} applies to the next accepted connection; lowering it
 * refuses new ones and never closes existing ones.
 */
public final class TcpListenerSource<A> implements IoSource {
  private static final Logger log = LoggerFactory.getLogger(TcpListenerSource.class);

  private final int fd;
  private final int tag;
  private final TcpStreamSource<A> streams;
  private final StreamAcceptor<A> acceptor;
  private EventLoop loop;
  private PathCounters counters;
  private int maxConnections;
  private boolean multishot = true;
  private boolean armed;
  private boolean stopping;
  private int generation;
  private long retryAt;
  private long refused;

  /**
   * A source on the listening socket {@code fd} (bound and listening; switched to blocking mode)
   * that admits at most {@code maxConnections} open {@code streams} at once.
   */
  public TcpListenerSource(
      int fd, int tag, int maxConnections, TcpStreamSource<A> streams, StreamAcceptor<A> acceptor)
      throws LinuxException {
    requirePositive(maxConnections);
    this.fd = fd;
    this.tag = tag;
    this.maxConnections = maxConnections;
    this.streams = streams;
    this.acceptor = acceptor;
    LinuxFiles.setNonBlocking(fd, false);
  }

  /** Registers this source's tag on {@code loop}. */
  public void registerOn(EventLoop loop) {
    loop.register(tag, this);
  }

  /** The listening socket. */
  public int fd() {
    return fd;
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
  public void arm(EventLoop loop) {
    this.loop = loop;
    this.counters = loop.counters(PathName.TCP_ACCEPT);
    counters.slots(maxConnections);
    armAccept();
  }

  @Override
  public void complete(long userData, int res, int flags) {
    boolean more = Cqe.hasMore(flags);
    // An accept is counted as one operation of 0 bytes (the result is an fd, not a size); a
    // multishot accept that stays armed counts as submitted again.
    counters.completed(res >= 0 ? 0 : res);
    if (more) {
      counters.submitted();
    } else if (UserData.generation(userData) == generation) {
      armed = false;
    }
    if (res >= 0) {
      admit(res);
    } else if (res == -Errno.EINVAL && multishot) {
      log.info("this kernel has no multishot accept; accepting one connection at a time");
      multishot = false;
    } else if (res != -Errno.ECANCELED) {
      log.warn("accept failed: {}", Errno.describe(-res));
      retryAt = System.nanoTime() + StreamAcceptor.RETRY_NANOS;
    }
    // A cancelled accept was moved by a ring migration: it is armed again on the new ring.
    if (!armed && !stopping && retryAt == 0) {
      armAccept();
    }
  }

  @Override
  public void afterBatch() {
    if (!armed && !stopping && retryAt != 0 && System.nanoTime() - retryAt >= 0) {
      retryAt = 0;
      armAccept();
    }
  }

  @Override
  public void cancelAll(EventLoop loop) {
    stopping = true;
    if (armed) {
      loop.ring().prepCancel(UserData.of(tag, generation, 0), UserData.of(UserData.IGNORED, 0, 0));
    }
  }

  @Override
  public void moveReads(EventLoop loop, Ring old) {
    if (armed) {
      old.prepCancel(UserData.of(tag, generation, 0), UserData.of(UserData.IGNORED, 0, 0));
    }
  }

  @Override
  public int inFlight() {
    return armed ? 1 : 0;
  }

  @Override
  public void close() {
    try {
      LinuxFiles.close(fd);
    } catch (LinuxException e) {
      log.warn("closing the TCP listening socket failed: {}", e.getMessage());
    }
  }

  private void admit(int accepted) {
    if (stopping || streams.count() >= maxConnections) {
      refused++;
      counters.slotExhausted();
      closeRefused(accepted);
      return;
    }
    InetSocketAddress peer = LinuxSockets.peerAddress(accepted);
    if (peer == null) {
      // Gone before we could ask who it was; with no address there is nothing to rate-limit on.
      closeRefused(accepted);
      return;
    }
    A owner = acceptor.accepted(peer);
    acceptor.opened(owner, streams.open(accepted, owner));
  }

  private static void closeRefused(int accepted) {
    try {
      LinuxFiles.close(accepted);
    } catch (LinuxException e) {
      log.debug("closing refused socket {}: {}", accepted, e.getMessage());
    }
  }

  private void armAccept() {
    generation = (generation + 1) & 0xff_ffff;
    long userData = UserData.of(tag, generation, 0);
    Ring ring = loop.ring();
    boolean prepared =
        multishot
            ? ring.prepAcceptMultishot(fd, LinuxSockets.SOCK_CLOEXEC, userData)
            : ring.prepAccept(
                fd, MemorySegment.NULL, MemorySegment.NULL, LinuxSockets.SOCK_CLOEXEC, userData);
    if (!prepared) {
      // The submission queue is full: try again after this batch.
      retryAt = System.nanoTime();
      return;
    }
    armed = true;
    counters.submitted();
  }

  private static void requirePositive(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "io.tcp.maxConnections must be at least 1, got " + maxConnections);
    }
  }
}
