package dev.ringway.core.expresslane;

import dev.ringway.core.wire.ExpresslaneConfig;
import dev.ringway.core.wire.ExpresslaneVersion;
import dev.ringway.core.wire.Frame;
import dev.ringway.core.wire.FrameCodec;
import dev.ringway.core.wire.WireException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A client and a server session joined in memory: each side's configs queue up for the other and
 * pass through the real frame codec on the way, as they would over DTLS.
 */
final class SessionPair {
  static final long SESSION = 0x1122334455667788L;
  static final Duration ROTATION = Duration.ofMinutes(15);

  final Side client;
  final Side server;
  long now = 1_000_000_000L;

  SessionPair(ExpresslaneSettings clientSettings, ExpresslaneSettings serverSettings) {
    client = new Side(clientSettings, false, 1);
    server = new Side(serverSettings, true, 2);
  }

  SessionPair(ExpresslaneVersion clientMax, ExpresslaneVersion serverMax) {
    this(
        new ExpresslaneSettings(true, ROTATION, clientMax),
        new ExpresslaneSettings(true, ROTATION, serverMax));
  }

  SessionPair() {
    this(ExpresslaneVersion.V2, ExpresslaneVersion.V2);
  }

  /** Both go Online and exchange configs until neither has anything to say. */
  SessionPair negotiated() {
    client.session.online(now, true);
    server.session.online(now, true);
    exchange();
    return this;
  }

  /** Delivers queued configs both ways until both queues are empty. */
  void exchange() {
    while (!client.sent.isEmpty() || !server.sent.isEmpty()) {
      deliver(client, server);
      deliver(server, client);
    }
  }

  private void deliver(Side from, Side to) {
    while (!from.sent.isEmpty()) {
      to.session.onConfig(from.sent.removeFirst(), now);
    }
  }

  void advance(Duration d) {
    now += d.toNanos();
  }

  static final class Side {
    final ExpresslaneSession session;
    final Deque<ExpresslaneConfig> sent = new ArrayDeque<>();
    final List<ExpresslaneConfig> log = new ArrayList<>();

    Side(ExpresslaneSettings settings, boolean server, long seed) {
      ExpresslaneSession.Output output = config -> accept(config);
      SecureRandom keys = new SecureRandom();
      SplittableRandom ivs = new SplittableRandom(seed);
      session =
          server
              ? ExpresslaneSession.server(settings, keys, ivs, output)
              : ExpresslaneSession.client(settings, keys, ivs, output);
    }

    private void accept(ExpresslaneConfig config) {
      ExpresslaneConfig onTheWire = throughCodec(config);
      sent.addLast(onTheWire);
      log.add(onTheWire);
    }

    /** Seals {@code inside} into a fresh datagram payload and returns it ready to read. */
    ByteBuffer seal(byte[] inside) {
      ByteBuffer out = ByteBuffer.allocate(ExpresslaneSession.HEADER_SIZE + inside.length);
      if (!session.seal(SESSION, ByteBuffer.wrap(inside), false, out)) {
        throw new AssertionError("no send key");
      }
      return out.flip();
    }

    OpenResult open(ByteBuffer datagram, ByteBuffer out) {
      return session.open(SESSION, datagram.duplicate(), out);
    }
  }

  static ExpresslaneConfig throughCodec(ExpresslaneConfig config) {
    ByteBuffer b = ByteBuffer.allocate(64);
    FrameCodec.encode(config, b);
    b.flip();
    try {
      Frame decoded = FrameCodec.decode(b);
      return (ExpresslaneConfig) decoded;
    } catch (WireException e) {
      throw new AssertionError(e);
    }
  }
}
