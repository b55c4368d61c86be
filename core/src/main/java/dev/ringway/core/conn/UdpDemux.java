package dev.ringway.core.conn;

import dev.ringway.core.wire.OuterHeader;
import dev.ringway.core.wire.ProtocolVersion;
import dev.ringway.core.wire.SessionId;
import dev.ringway.core.wire.WireError;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Finds the server connection a UDP datagram belongs to, exactly as §3.8 of the digest says: first
 * by peer address, then by the header's session id, then among pending rotations; a datagram with
 * an EMPTY session from an unknown address makes a new connection; an unknown non-empty session is
 * answered with a reject notice. A connection moves to a new address only after a datagram from
 * there decrypted to at least one frame, and it then starts a session-id rotation.
 *
 * <p>Owned by the loop thread. The peer address type {@code A} is the loop's (e.g. {@code
 * InetSocketAddress}); it needs {@code equals}/{@code hashCode}.
 */
public final class UdpDemux<A> {

  /** Makes the connection for a new peer: version from its first header, a fresh session id. */
  @FunctionalInterface
  public interface ConnectionFactory<A> {
    Connection create(A peer, ProtocolVersion version, SessionId session);
  }

  /**
   * The server's stateless front door: judges a datagram from an unknown address with the EMPTY
   * session before anything is made for it (a DTLS cookie exchange answers it statelessly).
   */
  @FunctionalInterface
  public interface Admission<A> {
    /**
     * True when a connection is to be made for this datagram, which the door has then consumed: the
     * new connection is started rather than fed it. False: answered or held, nothing made.
     */
    boolean admit(A peer, ByteBuffer datagram);
  }

  /** Sends the 16-byte reject notice to {@code peer}. */
  @FunctionalInterface
  public interface RejectSender<A> {
    void sendReject(A peer, ByteBuffer notice);
  }

  /** What happened to a datagram; one counter per value makes the §9.3 metrics. */
  public enum Outcome {
    /** Handed to the connection of its peer address. */
    DELIVERED,
    /** A new connection was made for it. */
    CREATED,
    /** From an unknown address, answered or held by the front door: nothing was made. */
    GATED,
    /** From a new address, recovered by session id and decrypted: the peer moved (roaming). */
    RECOVERED_VIA_SESSION,
    /** From a new address with a known session, but nothing decrypted: the address is kept. */
    ROTATION_ATTEMPTED_VIA_REPLAY,
    /** The header could not be parsed: dropped ({@code udp_parse_wire_failed}). */
    BAD_HEADER,
    /** The header's protocol version is not supported: dropped ({@code udp_bad_packet_version}). */
    BAD_VERSION,
    /** Carried the REJECTED session id: dropped (no reject ping-pong). */
    REJECTED_SESSION_DROPPED,
    /** Unknown non-empty session from an unknown address: reject notice sent. */
    REJECT_SENT,
    /** Known session claimed from an address whose header names another: reject notice sent. */
    SESSION_MISMATCH_REJECTED
  }

  private static final class Entry<A> {
    final Connection connection;
    A peer;
    long session;
    long pending;

    Entry(Connection connection, A peer) {
      this.connection = connection;
      this.peer = peer;
      this.session = connection.session().value();
    }
  }

  private final ConnectionFactory<A> factory;
  private final RejectSender<A> rejects;
  private final Admission<A> admission;
  private final RandomGenerator random;
  private final Map<A, Entry<A>> byAddress = new HashMap<>();
  private final Map<Long, Entry<A>> bySession = new HashMap<>();
  private final Map<Long, Entry<A>> pending = new HashMap<>();
  private final Map<Connection, Entry<A>> byConnection = new HashMap<>();
  private final ByteBuffer rejectNotice;

  /** A demultiplexer that makes a connection for every new peer's first datagram. */
  public UdpDemux(ConnectionFactory<A> factory, RejectSender<A> rejects, RandomGenerator random) {
    this(factory, rejects, null, random);
  }

  /** A demultiplexer whose new connections must pass {@code admission} first (null: none). */
  public UdpDemux(
      ConnectionFactory<A> factory,
      RejectSender<A> rejects,
      Admission<A> admission,
      RandomGenerator random) {
    this.factory = factory;
    this.rejects = rejects;
    this.admission = admission;
    this.random = random;
    ByteBuffer notice = ByteBuffer.allocate(OuterHeader.SIZE);
    OuterHeader.REJECT_NOTICE.encode(notice);
    this.rejectNotice = notice.flip().asReadOnlyBuffer();
  }

  /** Routes one datagram ({@code [position, limit)}, Lightway header first) from {@code peer}. */
  public Outcome receive(A peer, ByteBuffer datagram) {
    int start = datagram.position();
    try {
      OuterHeader.check(datagram);
    } catch (WireException e) {
      datagram.position(datagram.limit());
      return e.error() == WireError.INVALID_PROTOCOL_VERSION
          ? Outcome.BAD_VERSION
          : Outcome.BAD_HEADER;
    }
    long session = OuterHeader.sessionAt(datagram, start);
    if (session == SessionId.REJECTED.value()) {
      datagram.position(datagram.limit());
      return Outcome.REJECTED_SESSION_DROPPED;
    }
    Entry<A> entry = byAddress.get(peer);
    boolean moved = false;
    boolean created = false;
    if (entry == null) {
      Entry<A> known = bySession.get(session);
      if (known != null) {
        if (session != SessionId.EMPTY.value() && known.session != session) {
          return reject(peer, datagram, Outcome.SESSION_MISMATCH_REJECTED);
        }
        entry = known;
        moved = !peer.equals(known.peer);
      } else if (session == SessionId.EMPTY.value()) {
        if (admission != null) {
          if (!admission.admit(peer, datagram)) {
            datagram.position(datagram.limit());
            return Outcome.GATED;
          }
          datagram.position(start);
          entry = create(peer, datagram, start);
          datagram.position(datagram.limit());
          entry.connection.start();
          if (entry.connection.state() == ConnectionState.DISCONNECTED) {
            remove(entry.connection);
          }
          return Outcome.CREATED;
        }
        entry = create(peer, datagram, start);
        created = true;
      } else {
        entry = pending.get(session);
        if (entry == null) {
          return reject(peer, datagram, Outcome.REJECT_SENT);
        }
        moved = !peer.equals(entry.peer);
      }
    }
    int frames = entry.connection.receiveDatagram(datagram);
    if (entry.connection.state() == ConnectionState.DISCONNECTED) {
      remove(entry.connection);
    } else {
      rekeyAfterRotation(entry);
    }
    if (!moved) {
      return created ? Outcome.CREATED : Outcome.DELIVERED;
    }
    if (frames == 0 || entry.connection.state() == ConnectionState.DISCONNECTED) {
      return Outcome.ROTATION_ATTEMPTED_VIA_REPLAY;
    }
    byAddress.remove(entry.peer);
    entry.peer = peer;
    byAddress.put(peer, entry);
    if (entry.pending == 0) {
      beginRotation(entry);
    }
    return Outcome.RECOVERED_VIA_SESSION;
  }

  /** Forgets a connection (call when it has disconnected, for whatever reason). */
  public void remove(Connection connection) {
    Entry<A> entry = byConnection.remove(connection);
    if (entry == null) {
      return;
    }
    byAddress.remove(entry.peer, entry);
    bySession.remove(entry.session, entry);
    if (entry.pending != 0) {
      pending.remove(entry.pending, entry);
    }
  }

  /** The connection currently bound to {@code peer}, if any. */
  public Connection connectionAt(A peer) {
    Entry<A> entry = byAddress.get(peer);
    return entry == null ? null : entry.connection;
  }

  /** The peer address of {@code connection}, or null when it is not (any more) known here. */
  public A peerOf(Connection connection) {
    Entry<A> entry = byConnection.get(connection);
    return entry == null ? null : entry.peer;
  }

  /** How many connections are known. */
  public int size() {
    return byConnection.size();
  }

  /** How many session-id rotations are under way (the {@code sessions_pending_id_rotations}). */
  public int pendingRotations() {
    return pending.size();
  }

  /**
   * Starts a rotation for {@code connection} (e.g. when a TLS key update starts); does nothing if
   * one is under way.
   */
  public void beginRotation(Connection connection) {
    Entry<A> entry = byConnection.get(connection);
    if (entry != null && entry.pending == 0) {
      beginRotation(entry);
    }
  }

  private Entry<A> create(A peer, ByteBuffer datagram, int start) {
    ProtocolVersion version;
    try {
      version = OuterHeader.check(datagram);
    } catch (WireException e) {
      throw new IllegalStateException("header was checked already", e);
    }
    datagram.position(start);
    Entry<A> entry = new Entry<>(factory.create(peer, version, freshSession()), peer);
    byAddress.put(peer, entry);
    bySession.put(entry.session, entry);
    byConnection.put(entry.connection, entry);
    return entry;
  }

  private void beginRotation(Entry<A> entry) {
    SessionId next = freshSession();
    entry.pending = next.value();
    pending.put(entry.pending, entry);
    entry.connection.beginSessionRotation(next);
  }

  /** When the connection has finalised a rotation (S := P), the maps follow. */
  private void rekeyAfterRotation(Entry<A> entry) {
    long current = entry.connection.session().value();
    if (current == entry.session) {
      return;
    }
    bySession.remove(entry.session, entry);
    pending.remove(current, entry);
    entry.session = current;
    entry.pending = 0;
    bySession.put(current, entry);
  }

  private Outcome reject(A peer, ByteBuffer datagram, Outcome outcome) {
    datagram.position(datagram.limit());
    rejects.sendReject(peer, rejectNotice.duplicate());
    return outcome;
  }

  /** A random session id that is neither reserved nor in use nor pending. */
  private SessionId freshSession() {
    while (true) {
      SessionId candidate = SessionId.random(random);
      if (!bySession.containsKey(candidate.value()) && !pending.containsKey(candidate.value())) {
        return candidate;
      }
    }
  }
}
