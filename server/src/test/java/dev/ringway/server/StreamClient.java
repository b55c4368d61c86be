package dev.ringway.server;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionState;
import dev.ringway.core.conn.ConnectionTimeouts;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.tls.TlsEndpoint;
import dev.ringway.core.tls.Transport;
import dev.ringway.core.tls.TrustPolicy;
import dev.ringway.core.wire.AuthRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;

/**
 * A Lightway TCP client for tests: core's client {@link Connection} over a plain blocking {@link
 * SocketChannel}, driven by the calling thread (delegated TLS tasks run inline). Whatever the
 * tunnel delivers inside is kept in {@link #inside}.
 */
final class StreamClient implements Connection.Host, AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 100;

  final SocketChannel channel;
  final Connection connection;
  final List<byte[]> inside = new ArrayList<>();
  private final InputStream in;
  private final Queue<Runnable> delegated = new ArrayDeque<>();
  private final byte[] buffer = new byte[32 * 1024];
  DisconnectReason ended;
  boolean eof;

  private StreamClient(SocketChannel channel, TlsEndpoint tls, AuthRequest credentials)
      throws IOException {
    this.channel = channel;
    channel.socket().setSoTimeout(READ_TIMEOUT_MILLIS);
    this.in = channel.socket().getInputStream();
    this.connection =
        Connection.client(
            tls.newSession(Transport.STREAM),
            credentials,
            ConnectionTimeouts.defaults(),
            System::nanoTime,
            this);
  }

  /** Connects to {@code server} and sends the ClientHello. */
  static StreamClient connect(InetSocketAddress server, Path ca, String user, String password)
      throws Exception {
    SocketChannel channel = SocketChannel.open(server);
    StreamClient client =
        new StreamClient(
            channel,
            TlsEndpoint.client(TrustPolicy.caFile(ca)),
            new AuthRequest.UserPass(user, password));
    client.connection.start();
    client.runDelegated();
    return client;
  }

  /**
   * Reads and processes what the server sends until {@code condition} holds; fails after {@code
   * timeout}.
   */
  void pumpUntil(String what, Duration timeout, BooleanSupplier condition) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out waiting for " + what + " (state " + connection.state() + ")");
      }
      pumpOnce();
    }
  }

  /** Waits for the tunnel to come online. */
  void awaitOnline() throws IOException {
    pumpUntil(
        "the client online",
        Duration.ofSeconds(20),
        () -> connection.state() == ConnectionState.ONLINE || ended != null);
    if (ended != null) {
      throw new AssertionError("the connection ended before it was online: " + ended);
    }
  }

  private void pumpOnce() throws IOException {
    if (!eof) {
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        n = 0;
      } catch (IOException e) {
        n = -1; // reset
      }
      if (n < 0) {
        eof = true;
        connection.streamClosed();
      } else if (n > 0) {
        connection.receiveStream(ByteBuffer.wrap(buffer, 0, n));
      }
    } else {
      Thread.onSpinWait();
    }
    runDelegated();
    if (System.nanoTime() - connection.nextDeadlineNanos() >= 0) {
      connection.onTimer();
    }
  }

  private void runDelegated() {
    Runnable task;
    while ((task = delegated.poll()) != null) {
      task.run();
      connection.resumeTls();
    }
  }

  @Override
  public void sendOutside(Connection c, ByteBuffer bytes) {
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      bytes.position(bytes.limit()); // the server is gone; the read side notices
    }
  }

  @Override
  public void deliverInside(Connection c, ByteBuffer buffer, int offset, int length) {
    byte[] packet = new byte[length];
    buffer.get(offset, packet);
    inside.add(packet);
  }

  @Override
  public void runDelegated(Connection c, Runnable task) {
    delegated.add(task);
  }

  @Override
  public void disconnected(Connection c, DisconnectReason reason) {
    ended = reason;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
