package dev.ringway.server;

import dev.ringway.core.auth.AuthResult;
import dev.ringway.core.auth.Authenticator;
import dev.ringway.core.conn.Connection;
import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.core.wire.AuthRequest;
import dev.ringway.loop.InsideReceiver;
import dev.ringway.loop.Loop;
import dev.ringway.loop.PathCounters;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TunWriter;
import dev.ringway.loop.TxPool;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every server connection shares whatever carries it outside (UDP datagrams or a TCP stream):
 * the list of live connections and their timers, the inside — packets read from the TUN device
 * routed by destination (the client's pool address), decrypted packets written to it from the
 * {@link TxPool} — and the slow work handed to {@code workers} (TLS delegated tasks, credential
 * checks), whose results come back through {@link Loop#call}. It runs unchanged on either engine.
 * {@link DatagramServer} and {@link StreamServer} delegate their {@link Connection.Host} methods
 * for all this here.
 *
 * <p>Loop thread only, except the worker-side halves this class runs itself.
 */
final class ServerConnections {
  private static final Logger log = LoggerFactory.getLogger(ServerConnections.class);

  /** Whether a connection's outside can take an inside packet of {@code length} bytes now. */
  @FunctionalInterface
  interface OutsideRoom {
    OutsideRoom ALWAYS = (connection, length) -> true;

    boolean hasRoom(Connection connection, int length);
  }

  private final Loop loop;
  private final TxPool txPool;
  private final Authenticator authenticator;
  private final Executor workers;
  private final List<Connection> connections = new ArrayList<>();
  private final InsideRoutes routes = new InsideRoutes();
  private TunWriter tun;
  private OutsideRoom room = OutsideRoom.ALWAYS;
  private PathCounters tunRx;
  private PathCounters tunTx;

  ServerConnections(Loop loop, TxPool txPool, Authenticator authenticator, Executor workers) {
    this.loop = loop;
    this.txPool = txPool;
    this.authenticator = authenticator;
    this.workers = workers;
  }

  /**
   * Connects the inside and the outside's back-pressure check, and takes the loop's tick; called
   * once before the loop runs.
   */
  void attach(TunWriter tun, OutsideRoom room) {
    this.tun = tun;
    this.room = room;
    this.tunRx = loop.counters(PathName.TUN_RX);
    this.tunTx = loop.counters(PathName.TUN_TX);
    loop.onTick(this::tick);
  }

  /** Live connections. */
  List<Connection> all() {
    return connections;
  }

  void add(Connection connection) {
    connections.add(connection);
  }

  /** Forgets {@code connection}: its route and its place in the list. */
  void remove(Connection connection) {
    connection.insideAddress().ifPresent(address -> routes.remove(address.value(), connection));
    int at = connections.indexOf(connection);
    if (at >= 0) {
      int last = connections.size() - 1;
      connections.set(at, connections.get(last));
      connections.remove(last);
    }
  }

  /**
   * {@link InsideReceiver} (either engine): one packet from the inside, routed by its destination.
   */
  void insidePacket(MemorySegment packet, ByteBuffer view, int length) {
    if (length < 20 || (view.get(0) >> 4) != 4) {
      tunRx.error(); // not IPv4 (the kernel's own IPv6 chatter on a fresh TUN, for one)
      return;
    }
    Connection connection = routes.get(view.getInt(16));
    if (connection == null) {
      tunRx.error();
      return;
    }
    if (!room.hasRoom(connection, length)) {
      return; // dropped before encryption, counted by the outside; inner TCP retransmits
    }
    if (!connection.sendInside(view)) {
      tunRx.error();
    }
  }

  /** {@link Connection.Host#deliverInside}: a decrypted packet goes to the TUN device. */
  void deliverInside(ByteBuffer buffer, int offset, int length) {
    TxPool.Slot slot = txPool.acquire();
    if (slot == null) {
      tunTx.slotExhausted();
      return;
    }
    if (length > TxPool.SLOT_BYTES) {
      txPool.release(slot);
      tunTx.error();
      return;
    }
    slot.view().put(0, buffer, offset, length);
    tun.write(slot, length);
  }

  /** {@link Connection.Host#runDelegated}: the task on a worker, then back to the loop. */
  void runDelegated(Connection connection, Runnable task) {
    workers.execute(() -> {
      task.run();
      loop.call(() -> {
        connection.resumeTls();
        return null;
      });
    });
  }

  /** {@link Connection.Host#authenticate}: the check on a worker, the answer on the loop. */
  void authenticate(Connection connection, AuthRequest request, InetSocketAddress peer) {
    workers.execute(() -> {
      AuthResult result = authenticator.authenticate(peer.getAddress(), request);
      loop.call(() -> {
        connection.completeAuth(result);
        if (result instanceof AuthResult.Denied denied) {
          log.info("auth denied for {}: {}", peer, denied.reason());
        }
        return null;
      });
    });
  }

  /** {@link Connection.Host#online}: inside packets for its pool address now go to it. */
  void online(Connection connection, InetSocketAddress peer) {
    connection
        .insideAddress()
        .ifPresent(address -> {
          routes.put(address.value(), connection);
          log.info(
              "{} online as {} (session {}, {})",
              peer,
              address,
              connection.session(),
              connection.tls().cipherSuite());
        });
  }

  /** Says Goodbye to every client; used at shutdown. */
  void disconnectAll() {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (i < connections.size()) {
        connections.get(i).disconnect(DisconnectReason.LOCAL);
      }
    }
  }

  private void tick(long now) {
    for (int i = connections.size() - 1; i >= 0 && i < connections.size(); i--) {
      Connection connection = connections.get(i);
      if (now - connection.nextDeadlineNanos() >= 0) {
        connection.onTimer();
      }
    }
  }
}
