package dev.ringway.server.jmx;

import dev.ringway.core.conn.Connection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** The connection host's view the {@code Connections} MXBean reads; loop thread only. */
public interface ConnectionTable {
  /** The live connections. */
  List<Connection> connections();

  /** The outside address of {@code connection}, or null when unknown. */
  InetSocketAddress peerOf(Connection connection);

  /** A table reading {@code connections} and {@code peerOf}, e.g. a connection host's methods. */
  static ConnectionTable of(
      Supplier<List<Connection>> connections, Function<Connection, InetSocketAddress> peerOf) {
    return new ConnectionTable() {
      @Override
      public List<Connection> connections() {
        return connections.get();
      }

      @Override
      public InetSocketAddress peerOf(Connection connection) {
        return peerOf.apply(connection);
      }
    };
  }
}
