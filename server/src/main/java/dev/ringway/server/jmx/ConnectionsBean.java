package dev.ringway.server.jmx;

import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.ConnectionState;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.loop.Loop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code type=Connections}: every read and the disconnect run on the loop, which owns them. */
final class ConnectionsBean implements ConnectionsMXBean {
  private final Loop loop;
  private final ConnectionTable table;
  private final String mode;

  ConnectionsBean(Loop loop, ConnectionTable table, String mode) {
    this.loop = loop;
    this.table = table;
    this.mode = mode;
  }

  @Override
  public int getCount() {
    return onLoop(() -> table.connections().size());
  }

  @Override
  public int getOnline() {
    return onLoop(() -> {
      int online = 0;
      for (Connection connection : table.connections()) {
        if (connection.state() == ConnectionState.ONLINE) {
          online++;
        }
      }
      return online;
    });
  }

  @Override
  public SortedMap<String, ConnectionRow> list() {
    return onLoop(() -> {
      long now = System.nanoTime();
      long wallNow = System.currentTimeMillis();
      SortedMap<String, ConnectionRow> rows = new TreeMap<>();
      for (Connection connection : table.connections()) {
        InetSocketAddress peer = table.peerOf(connection);
        String session = connection.session().toString();
        boolean linked = connection.tls().handshakeComplete();
        rows.put(
            session,
            new ConnectionRow(
                session,
                connection.identity().orElse(""),
                mode,
                connection.state().name(),
                connection.insideAddress().map(Object::toString).orElse(""),
                peer == null ? "" : peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                connection.insideBytesIn(),
                connection.insideBytesOut(),
                wallNow - (now - connection.createdNanos()) / 1_000_000L,
                (now - connection.lastOutsideNanos()) / 1_000_000L,
                linked ? connection.tls().protocol() : "",
                linked ? orEmpty(connection.tls().cipherSuite()) : "",
                linked ? orEmpty(connection.tls().group()) : ""));
      }
      return rows;
    });
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  @Override
  public boolean disconnect(String session) {
    return onLoop(() -> {
      List<Connection> connections = table.connections();
      for (int i = 0; i < connections.size(); i++) {
        Connection connection = connections.get(i);
        if (connection.session().toString().equalsIgnoreCase(session)) {
          connection.disconnect(DisconnectReason.LOCAL);
          return true;
        }
      }
      return false;
    });
  }

  private <T> T onLoop(Callable<T> read) {
    try {
      return loop.call(read).get(Retuner.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the loop did not answer within " + Retuner.TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the loop");
    }
  }
}
