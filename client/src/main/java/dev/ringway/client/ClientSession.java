package dev.ringway.client;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionState;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.conn.InsideConfig;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.wire.AuthRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's side of the tunnel over UDP or TCP, kept up for as long as it runs: one {@link
 * Connection} at a time, and when it ends (refused credentials, keepalive timeout, Goodbye, the
 * server forgetting the session, the stream closing) another after a {@link Backoff} wait. It does
 * no I/O: its owner feeds it datagrams or stream bytes from the server, inside packets and clock
 * ticks, and gets bytes to send and packets to deliver through {@link Outside} and {@link Inside}.
 * So the TUN client and a load generator of many simulated clients can both use it.
 *
 * <p>Over TCP each attempt first needs a connected stream: the session asks {@link Outside#open()}
 * for one and starts the connection when the owner answers {@link #pathOpened()}; {@link
 * #pathFailed} (or no answer within the attempt's time, {@code timeouts.stale()}) counts as a
 * failed attempt. When a connection ends its stream is handed back with {@link Outside#close()}.
 *
 * <p>All methods except {@link #status()} run on the loop thread. Delegated TLS work goes to {@code
 * workers} and comes back through {@code loop} (an executor that runs on the loop thread).
 */
public final class ClientSession {
  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  /** Where the session's outside bytes go. */
  @FunctionalInterface
  public interface Outside {
    /**
     * Bytes for the server ({@code [position, limit)}), valid only during the call: one whole UDP
     * datagram, Lightway header included, or the next chunk of the TCP stream (which must be sent
     * whole and in order, or the stream ended).
     */
    void send(ByteBuffer bytes);

    /**
     * TCP: connect a new stream for the next attempt, and answer later with {@link
     * ClientSession#pathOpened()} or {@link ClientSession#pathFailed}. Not called over UDP.
     */
    default void open() {}

    /**
     * TCP: the attempt is over; close its stream once what was sent (Goodbye, close_notify) has
     * gone out, or give up a connect still under way. Not called over UDP.
     */
    default void close() {}

    /**
     * TCP: whether an inside packet of {@code length} bytes, once encrypted, can be queued now. A
     * packet is dropped before encryption when it cannot: an encrypted record that could not be
     * sent would break the TLS stream.
     */
    default boolean hasRoom(int length) {
      return true;
    }
  }

  /** The inside of the tunnel (the TUN device, or a simulated one). */
  public interface Inside {
    /**
     * An inside packet from the server: {@code [offset, offset + length)}, valid during the call.
     */
    void deliver(ByteBuffer buffer, int offset, int length);

    /**
     * A connection went Online with {@code config}. Returns false when the configuration cannot be
     * used, which ends that connection (and a new one is tried after the backoff).
     */
    boolean online(InsideConfig config);
  }

  private final Transport transport;
  private final TlsEndpoint tls;
  private final AuthRequest credentials;
  private final ConnectionTimeouts timeouts;
  private final Backoff backoff;
  private final LongSupplier clock;
  private final Executor workers;
  private final Executor loop;
  private final Outside outside;
  private final Inside inside;
  private final Host host = new Host();

  private Connection current;
  private boolean opening;
  private long openDeadline;
  private long retryAt;
  private boolean stopping;
  private volatile ClientStatus status = ClientStatus.INITIAL;

  /**
   * A session over {@code transport} (DTLS 1.2 over UDP, TLS 1.3 over TCP) that authenticates with
   * {@code credentials}; {@code timeouts.stale()} bounds each attempt to reach Online, {@code
   * clock} is {@link System#nanoTime()}-like.
   */
  public ClientSession(
      Transport transport,
      TlsEndpoint tls,
      AuthRequest credentials,
      ConnectionTimeouts timeouts,
      Backoff backoff,
      LongSupplier clock,
      Executor workers,
      Executor loop,
      Outside outside,
      Inside inside) {
    this.transport = transport;
    this.tls = tls;
    this.credentials = credentials;
    this.timeouts = timeouts;
    this.backoff = backoff;
    this.clock = clock;
    this.workers = workers;
    this.loop = loop;
    this.outside = outside;
    this.inside = inside;
  }

  /** Starts the first connection. */
  public void start() {
    if (status.phase() == ClientStatus.Phase.IDLE) {
      connect();
    }
  }

  /** A datagram from the server ({@code [position, limit)}, consumed). */
  public void receiveDatagram(ByteBuffer datagram) {
    Connection connection = current;
    if (connection == null) {
      datagram.position(datagram.limit());
      return;
    }
    long rejectNotices = connection.rejectNoticesReceived();
    connection.receiveDatagram(datagram);
    if (connection == current
        && connection.rejectNoticesReceived() != rejectNotices
        && connection.state() == ConnectionState.ONLINE) {
      // Our session id is unknown to the server (it restarted, or dropped us): this connection
      // can never work again, so start over rather than wait for the keepalive to time out.
      log.warn("the server no longer knows this session (reject notice); reconnecting");
      connection.disconnect(DisconnectReason.LOCAL);
    }
  }

  /** Bytes from the server's TCP stream ({@code [position, limit)}, consumed). */
  public void receiveStream(ByteBuffer bytes) {
    Connection connection = current;
    if (connection == null) {
      bytes.position(bytes.limit());
      return;
    }
    connection.receiveStream(bytes);
  }

  /** The server's TCP stream ended (EOF or an error): over TCP that ends the connection (§3.4). */
  public void streamClosed() {
    if (current != null) {
      current.streamClosed();
    }
  }

  /** The stream asked for by {@link Outside#open()} is connected: the handshake starts on it. */
  public void pathOpened() {
    if (!opening) {
      return;
    }
    opening = false;
    startConnection();
  }

  /**
   * The stream asked for by {@link Outside#open()} could not be connected ({@code why}, for the
   * log): the attempt failed, and the next one follows after the backoff.
   */
  public void pathFailed(String why) {
    giveUpOpening(DisconnectReason.PEER_CLOSED, why);
  }

  /**
   * An inside packet for the server ({@code [position, limit)} of {@code packet}). Returns false
   * when it was dropped: not online, not IPv4, too large, or (TCP) no room on the stream.
   */
  public boolean sendInside(ByteBuffer packet) {
    return current != null && outside.hasRoom(packet.remaining()) && current.sendInside(packet);
  }

  /** Runs what is due: the connection's timers, or the next attempt once the wait is over. */
  public void tick() {
    long now = clock.getAsLong();
    Connection connection = current;
    if (connection != null) {
      long deadline = connection.nextDeadlineNanos();
      if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
        connection.onTimer();
      }
    } else if (opening && now - openDeadline >= 0) {
      giveUpOpening(
          DisconnectReason.TIMED_OUT,
          "no connection within " + timeouts.stale().toMillis() + " ms");
    } else if (status.phase() == ClientStatus.Phase.WAITING && now - retryAt >= 0) {
      connect();
    }
  }

  /** Ends the session: Goodbye to the server if a connection is up, and no reconnect. */
  public void shutdown() {
    stopping = true;
    if (current != null) {
      current.disconnect(DisconnectReason.LOCAL);
    } else {
      if (opening) {
        opening = false;
        outside.close();
      }
      publish(ClientStatus.Phase.STOPPED, status.lastDisconnect(), status.lastWait());
    }
  }

  /** The latest status; safe from any thread. */
  public ClientStatus status() {
    return status;
  }

  /** The current connection, if one exists (loop thread only), for its counters. */
  public Connection connection() {
    return current;
  }

  private void connect() {
    status =
        new ClientStatus(
            ClientStatus.Phase.CONNECTING,
            status.attempts() + 1,
            status.onlineCount(),
            status.lastDisconnect(),
            status.lastWait(),
            status.insideConfig());
    if (transport == Transport.STREAM) {
      opening = true;
      openDeadline = clock.getAsLong() + timeouts.stale().toNanos();
      outside.open();
    } else {
      startConnection();
    }
  }

  private void startConnection() {
    Connection connection =
        Connection.client(tls.newChannel(transport, clock), credentials, timeouts, clock, host);
    current = connection;
    connection.start();
  }

  private void giveUpOpening(DisconnectReason reason, String why) {
    if (!opening) {
      return;
    }
    opening = false;
    outside.close();
    log.warn("cannot connect to the server: {}", why);
    attemptEnded(reason);
  }

  /** Waits the next backoff, or stops when the session is shutting down. */
  private void attemptEnded(DisconnectReason reason) {
    if (stopping) {
      log.info("disconnected ({})", reason);
      publish(ClientStatus.Phase.STOPPED, reason, status.lastWait());
      return;
    }
    Duration wait = backoff.next();
    retryAt = clock.getAsLong() + wait.toNanos();
    publish(ClientStatus.Phase.WAITING, reason, wait);
    log.warn("{}; reconnecting in {} ms", explain(reason), wait.toMillis());
  }

  private void publish(ClientStatus.Phase phase, DisconnectReason reason, Duration wait) {
    ClientStatus old = status;
    status =
        new ClientStatus(
            phase, old.attempts(), old.onlineCount(), reason, wait, old.insideConfig());
  }

  /** What every connection of this session reports to. */
  private final class Host implements Connection.Host {
    @Override
    public void sendOutside(Connection connection, ByteBuffer bytes) {
      outside.send(bytes);
    }

    @Override
    public void deliverInside(Connection connection, ByteBuffer buffer, int offset, int length) {
      inside.deliver(buffer, offset, length);
    }

    @Override
    public void runDelegated(Connection connection, Runnable task) {
      workers.execute(() -> {
        task.run();
        loop.execute(connection::resumeTls);
      });
    }

    @Override
    public void online(Connection connection) {
      InsideConfig config = connection.insideConfig().orElseThrow();
      if (!inside.online(config)) {
        connection.disconnect(DisconnectReason.LOCAL);
        return;
      }
      backoff.reset();
      ClientStatus old = status;
      status =
          new ClientStatus(
              ClientStatus.Phase.ONLINE,
              old.attempts(),
              old.onlineCount() + 1,
              old.lastDisconnect(),
              old.lastWait(),
              config);
      log.info(
          "online over {} ({}): inside address {}, peer {}, MTU {}",
          connection.tls().protocol(),
          connection.tls().cipherSuite(),
          config.localIp(),
          config.peerIp(),
          config.mtu());
    }

    @Override
    public void disconnected(Connection connection, DisconnectReason reason) {
      if (connection != current) {
        return;
      }
      current = null;
      if (transport == Transport.STREAM) {
        outside.close();
      }
      attemptEnded(reason);
    }
  }

  /** The operator's reading of why a connection ended. */
  static String explain(DisconnectReason reason) {
    return switch (reason) {
      case UNAUTHORIZED -> "the server refused the credentials (AuthFailure)";
      case TLS_FAILURE -> "the (D)TLS handshake failed (is tls.ca the server's CA?)";
      case TIMED_OUT -> "the server did not answer in time";
      case GOODBYE -> "the server said Goodbye";
      case PEER_CLOSED -> "the server closed the session (or could not be reached)";
      case LOCAL -> "the connection was closed here";
      default -> "the connection failed (" + reason + ")";
    };
  }
}
