package dev.ringway.client;

import dev.ringway.loop.uring.EventLoop;
import dev.ringway.loop.uring.IoSource;
import dev.ringway.loop.uring.UserData;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.LinuxSockets;
import dev.ringway.uring.Ring;
import dev.ringway.uring.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects TCP sockets to the server on the loop's ring ({@code IORING_OP_CONNECT}), one at a time,
 * so the loop thread never blocks on a connect and a connect that takes too long can be cancelled.
 * The socket is made on the loop thread, so it belongs to the loop thread's network namespace.
 *
 * <p>user_data: tag {@code tag}, index 0, generation = the connect's number. The only memory the
 * kernel reads is the server's sockaddr, written once and kept for the connector's life.
 */
final class TcpConnector implements IoSource {
  private static final Logger log = LoggerFactory.getLogger(TcpConnector.class);
  private static final long IGNORED = UserData.of(UserData.IGNORED, 0, 0);
  private static final int GENERATION_MASK = 0xff_ffff;

  /** Hears how each connect ended; on the loop thread. */
  interface Listener {
    /** {@code fd} is connected to the server and now belongs to the listener. */
    void connected(int fd);

    /** The connect failed, or was cancelled; {@code why} is for the operator. */
    void failed(String why);
  }

  private final int tag;
  private final InetSocketAddress server;
  private final MemorySegment sockaddr;
  private final int sockaddrLength;
  private final Listener listener;
  private EventLoop loop;
  private int generation;
  private int fd = -1;
  private boolean inFlight;
  private boolean cancelled;

  TcpConnector(int tag, InetSocketAddress server, Listener listener) {
    this.tag = tag;
    this.server = server;
    this.listener = listener;
    this.sockaddr = Arena.ofAuto().allocate(SockAddr.STORAGE_SIZE);
    this.sockaddrLength = SockAddr.write(sockaddr, server);
  }

  void registerOn(EventLoop loop) {
    loop.register(tag, this);
  }

  @Override
  public void arm(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * Starts connecting a new socket; the listener hears the outcome, possibly before this returns
   * (when no socket can be made, or a cancelled connect has not finished yet: one at a time).
   */
  void connect() {
    if (inFlight) {
      listener.failed("the previous connect to " + server + " is still being cancelled");
      return;
    }
    int socket;
    try {
      socket = LinuxSockets.socketFor(server, LinuxSockets.SOCK_STREAM);
    } catch (LinuxException e) {
      listener.failed("cannot open a TCP socket: " + e.getMessage());
      return;
    }
    generation = (generation + 1) & GENERATION_MASK;
    long userData = UserData.of(tag, generation, 0);
    Ring ring = loop.ring();
    if (!ring.prepConnect(socket, sockaddr, sockaddrLength, userData)) {
      closeQuietly(socket);
      listener.failed("no room in the submission queue for a connect");
      return;
    }
    fd = socket;
    inFlight = true;
    cancelled = false;
  }

  /**
   * Gives up the connect under way, if any; the listener hears nothing more of it (a socket that
   * connects all the same is closed).
   */
  void cancel() {
    if (inFlight && !cancelled) {
      cancelled = true;
      loop.ring().prepCancel(UserData.of(tag, generation, 0), IGNORED);
    }
  }

  @Override
  public void complete(long userData, int res, int flags) {
    inFlight = false;
    int socket = fd;
    fd = -1;
    if (cancelled) {
      closeQuietly(socket);
    } else if (res == 0) {
      listener.connected(socket);
    } else {
      closeQuietly(socket);
      listener.failed(new LinuxException(res, "connect " + server).getMessage());
    }
  }

  @Override
  public void cancelAll(EventLoop loop) {
    cancel();
  }

  /** A connect is not a read: one in flight on the old ring just completes there. */
  @Override
  public void moveReads(EventLoop loop, Ring old) {}

  @Override
  public int inFlight() {
    return inFlight ? 1 : 0;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      closeQuietly(fd);
      fd = -1;
    }
  }

  private static void closeQuietly(int socket) {
    try {
      LinuxFiles.close(socket);
    } catch (LinuxException e) {
      log.debug("closing socket {} failed: {}", socket, e.getMessage());
    }
  }
}
