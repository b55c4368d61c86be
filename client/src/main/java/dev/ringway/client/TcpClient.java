package dev.ringway.client;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.loop.uring.EventLoop;
import dev.ringway.loop.uring.MissingCapability;
import dev.ringway.loop.uring.TcpStreamSource;
import dev.ringway.loop.uring.TunSource;
import dev.ringway.uring.Errno;
import dev.ringway.uring.LinuxException;
import dev.ringway.uring.LinuxFiles;
import dev.ringway.uring.Tun;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux client over TCP: a TUN device, one TLS 1.3 stream to the server at a time and a {@link
 * ClientSession}, all on one {@link EventLoop}. Each attempt connects a new socket on the ring
 * ({@link TcpConnector}), hands it to a {@link TcpStreamSource} and starts the handshake on it;
 * when the connection ends the stream is closed after its Goodbye and close_notify went out, and
 * the next attempt follows the backoff. Over TCP every error is fatal (§3.4), so a chunk the stream
 * cannot queue ends the connection rather than leaving a gap in the TLS stream, and inside packets
 * are dropped before encryption while the stream has no room.
 *
 * <p>{@link #run()} opens the device and the ring on the calling thread, and sockets are made on
 * it, so a thread that has entered a network namespace gets all of them there. {@link #stop()} and
 * {@link #status()} are for any thread.
 *
 * <p>user_data tags: 8/9 TCP receive/send, 10/11 TUN read/write, 12 connect (see {@link
 * TcpStreamSource}, {@link TunSource} and {@link TcpConnector}).
 */
public final class TcpClient implements TunnelClient {
  private static final Logger log = LoggerFactory.getLogger(TcpClient.class);
  private static final int TCP_RX = 8;
  private static final int TCP_TX = 9;
  private static final int TUN_RX = 10;
  private static final int TUN_TX = 11;
  private static final int CONNECT = 12;

  /** Connection timers are seconds apart; a 20 ms tick keeps them close without busy-waking. */
  private static final long TICK_NANOS = 20_000_000L;

  /** How long {@link #stop()} waits for the Goodbye to leave on the stream. */
  private static final long GOODBYE_WAIT_MILLIS = 500;

  /**
   * TLS overhead of one inside packet on the stream: record header, content type and AEAD tag, plus
   * the Data frame header, with room to spare.
   */
  private static final int RECORD_OVERHEAD = 64;

  private static final int TLS_WORKERS = 2;

  /**
   * One attempt's stream; the sources' callbacks name it, so a late one for an old stream is
   * recognised.
   */
  private static final class Path {
    long stream = -1;
    boolean writable = true;
    final CompletableFuture<Void> released = new CompletableFuture<>();
  }

  private final ClientSettings settings;
  private final RandomGenerator random;
  private volatile EventLoop loop;
  private volatile ClientSession session;
  private final AtomicBoolean stopRequested = new AtomicBoolean();

  // Loop thread only, from run() on.
  private Tun tun;
  private TxPool txPool;
  private TcpStreamSource<Path> streams;
  private TcpConnector connector;
  private Path path;

  public TcpClient(ClientSettings settings, RandomGenerator random) {
    if (settings.transport() != Transport.STREAM) {
      throw new IllegalArgumentException("a TCP client needs mode: tcp settings");
    }
    this.settings = settings;
    this.random = random;
  }

  /**
   * Runs the client on the calling thread until {@link #stop()}: opens the TUN device, sets up the
   * ring, connects and keeps reconnecting. Returns once the loop has stopped and every request has
   * completed.
   *
   * @throws ClientFailure when the device or the ring cannot be had (saying what is missing and how
   *     to provide it) or the loop fails
   */
  @Override
  public void run() throws ClientFailure {
    try {
      tun = Tun.open(settings.tunName(), !settings.tunBlocking());
    } catch (LinuxException e) {
      throw new ClientFailure(MissingCapability.tun(e), e);
    }
    ExecutorService workers =
        Executors.newFixedThreadPool(
            TLS_WORKERS, Thread.ofPlatform().name("ringway-tls-", 0).daemon().factory());
    try {
      EventLoop created = build(workers);
      loop = created;
      if (stopRequested.get()) {
        created.stop();
      }
      runLoop(created);
    } finally {
      workers.shutdownNow();
    }
  }

  /**
   * Says Goodbye to the server (waiting up to half a second for it and the close_notify to leave on
   * the stream) and stops the loop; {@link #run()} then returns. Safe from any thread, and before
   * {@link #run()}; calls after the first do nothing.
   */
  @Override
  public void stop() {
    if (stopRequested.getAndSet(true)) {
      return;
    }
    EventLoop running = loop;
    if (running == null) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GOODBYE_WAIT_MILLIS);
    try {
      Path closing =
          running
              .call(() -> {
                Path current = path;
                session.shutdown();
                return current;
              })
              .get(GOODBYE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      if (closing != null) {
        // Stopping the loop cancels sends still in flight: let the stream drain and close first.
        closing.released.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      log.warn("could not say Goodbye before stopping: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.stop();
  }

  @Override
  public ClientStatus status() {
    ClientSession current = session;
    return current == null ? ClientStatus.INITIAL : current.status();
  }

  /** The loop's latest statistics, or null before {@link #run()} has built it. */
  public LoopSnapshot snapshot() {
    EventLoop current = loop;
    return current == null ? null : current.snapshot();
  }

  private EventLoop build(ExecutorService workers) throws ClientFailure {
    EventLoop created;
    try {
      created = new EventLoop(settings.ring(), TICK_NANOS, settings.statsInterval().toNanos());
    } catch (LinuxException e) {
      closeQuietly(tun);
      throw new ClientFailure("cannot create the loop's eventfd: " + e.getMessage(), e);
    }
    txPool = new TxPool(settings.txSlots());
    streams =
        new TcpStreamSource<>(
            txPool, TCP_RX, TCP_TX, settings.tcpSocketBuffer(), new StreamHandler());
    connector = new TcpConnector(CONNECT, settings.server(), new Connected());
    TunInside inside = new TunInside(tun, txPool, settings.mtuLimit(), Transport.STREAM);
    TunSource tunSource =
        new TunSource(
            tun,
            settings.tunRxSlots(),
            settings.tunBlocking(),
            txPool,
            TUN_RX,
            TUN_TX,
            this::fromTun);
    streams.registerOn(created);
    connector.registerOn(created);
    tunSource.registerOn(created);
    inside.attach(tunSource, created.counters(PathName.TUN_TX));
    ClientSession newSession =
        new ClientSession(
            Transport.STREAM,
            TlsEndpoint.client(settings.trust(), settings.cipher(), null),
            settings.credentials(),
            settings.timeouts(),
            new Backoff(settings.initialBackoff(), settings.maxBackoff(), random),
            System::nanoTime,
            workers,
            command -> onLoop(created, command),
            new StreamOutside(),
            inside);
    session = newSession;
    created.onTick(now -> newSession.tick());
    onLoop(created, newSession::start);
    return created;
  }

  private void runLoop(EventLoop created) throws ClientFailure {
    if (settings.insecure()) {
      log.warn("tls.insecure is set: the server's certificate is NOT verified");
    }
    log.info(
        "client for {} over TCP on TUN {}, authenticating with {}",
        settings.server(),
        tun.name(),
        settings.credentials());
    try {
      created.run();
    } catch (LinuxException e) {
      if (e.operation().startsWith("io_uring_setup")) {
        throw new ClientFailure(MissingCapability.ring(e), e);
      }
      throw new ClientFailure("the I/O loop failed: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new ClientFailure("the I/O loop could not start: " + e.getMessage(), e);
    }
  }

  private static void onLoop(EventLoop loop, Runnable command) {
    loop.call(
            () -> {
              command.run();
              return null;
            })
        .whenComplete((ignored, failure) -> {
          if (failure != null) {
            log.error("a loop command failed", failure);
          }
        });
  }

  /** A packet the kernel routed into the TUN device; the connection drops what is not IPv4. */
  private void fromTun(MemorySegment packet, ByteBuffer view, int length) {
    session.sendInside(view);
  }

  /** The session's outside: one stream per attempt. */
  private final class StreamOutside implements ClientSession.Outside {
    @Override
    public void open() {
      Path opening = new Path();
      path = opening;
      connector.connect();
    }

    @Override
    public void send(ByteBuffer bytes) {
      Path current = path;
      if (current == null || current.stream < 0 || !current.writable) {
        bytes.position(bytes.limit());
        return;
      }
      if (!streams.send(current.stream, bytes)) {
        // A chunk that cannot be queued leaves a gap in the TLS stream: nothing after it could be
        // decrypted, so the stream ends here, and the connection once this call has returned.
        bytes.position(bytes.limit());
        current.writable = false;
        streams.abort(current.stream);
        Connection connection = session.connection();
        onLoop(
            loop,
            () -> {
              if (connection != null && connection == session.connection()) {
                log.warn("the stream to the server is full; ending the connection");
                connection.disconnect(DisconnectReason.LOCAL);
              }
            });
      }
    }

    @Override
    public boolean hasRoom(int length) {
      Path current = path;
      if (current == null
          || current.stream < 0
          || !streams.hasRoom(current.stream, length + RECORD_OVERHEAD)) {
        loop.counters(PathName.TCP_TX).slotExhausted();
        return false;
      }
      return true;
    }

    @Override
    public void close() {
      Path closing = path;
      path = null;
      if (closing == null) {
        return;
      }
      if (closing.stream >= 0) {
        streams.close(closing.stream);
      } else {
        connector.cancel();
        closing.released.complete(null);
      }
    }
  }

  /** Where each connect ends up. */
  private final class Connected implements TcpConnector.Listener {
    @Override
    public void connected(int fd) {
      Path current = path;
      if (current == null) {
        // The attempt was given up while the connect finished: nobody wants this socket.
        closeQuietly(fd);
        return;
      }
      current.stream = streams.open(fd, current);
      if (current.stream < 0) {
        session.pathFailed("cannot set up the connected socket");
        return;
      }
      session.pathOpened();
    }

    @Override
    public void failed(String why) {
      session.pathFailed(why);
    }
  }

  /** What the stream source tells about the current stream (and, late, about old ones). */
  private final class StreamHandler implements dev.ringway.loop.StreamHandler<Path> {
    @Override
    public void received(Path owner, ByteBuffer view, int length) {
      if (owner == path) {
        session.receiveStream(view);
      }
    }

    @Override
    public void ended(Path owner, int cause) {
      owner.writable = false;
      if (owner != path) {
        return;
      }
      if (cause < 0) {
        log.info("the stream to the server failed: {}", Errno.name(-cause));
      }
      session.streamClosed();
    }

    @Override
    public void released(Path owner) {
      owner.released.complete(null);
    }
  }

  private static void closeQuietly(Tun tun) {
    try {
      tun.close();
    } catch (LinuxException e) {
      log.warn("closing the TUN device failed: {}", e.getMessage());
    }
  }

  private static void closeQuietly(int fd) {
    try {
      LinuxFiles.close(fd);
    } catch (LinuxException e) {
      log.warn("closing a socket failed: {}", e.getMessage());
    }
  }
}
