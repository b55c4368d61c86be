package dev.ringway.core.dtls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Our client and our server joined in memory through a network that can lose, reorder and duplicate
 * datagrams with a seeded random, on a simulated clock: when nothing is in flight the clock jumps
 * to the earliest timer.
 */
final class Link {
  static final byte[] CLIENT_ADDRESS = {127, 0, 0, 1, 0x30, 0x39};

  final DtlsServerConfig serverConfig;
  final DtlsStats serverStats = new DtlsStats();
  final DtlsStats clientStats = new DtlsStats();
  final DtlsCookieGate gate;
  final DtlsSession client;
  DtlsSession server;
  long now = 1_000_000_000L;
  double loss;
  double reorder;
  double duplicate;
  Random random = new Random(1);
  final List<byte[]> toClientData = new ArrayList<>();
  final List<byte[]> toServerData = new ArrayList<>();
  final List<byte[]> clientWire = new ArrayList<>();
  DtlsException clientError;
  DtlsException serverError;
  int maxClientDatagram;
  int serverDatagrams;
  java.util.function.IntPredicate dropServerDatagram = n -> false;
  boolean corruptServerFinished;

  private final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
  private final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
  private final ByteBuffer reply = ByteBuffer.allocate(2048);

  Link(DtlsServerConfig serverConfig, DtlsClientConfig clientConfig) {
    this.serverConfig = serverConfig;
    this.gate = new DtlsCookieGate(serverConfig, serverStats);
    this.client = DtlsSession.client(clientConfig, clientStats);
  }

  final DtlsSession.Output clientOut =
      new DtlsSession.Output() {
        @Override
        public void transmit(ByteBuffer d) {
          byte[] b = bytes(d);
          maxClientDatagram = Math.max(maxClientDatagram, b.length);
          clientWire.add(b);
          send(toServer, b);
        }

        @Override
        public void deliver(ByteBuffer a) {
          toClientData.add(bytes(a));
        }
      };

  final DtlsSession.Output serverOut =
      new DtlsSession.Output() {
        @Override
        public void transmit(ByteBuffer d) {
          if (dropServerDatagram.test(serverDatagrams++)) {
            return;
          }
          send(toClient, bytes(d));
        }

        @Override
        public void deliver(ByteBuffer a) {
          toServerData.add(bytes(a));
        }
      };

  private void send(ArrayDeque<byte[]> q, byte[] b) {
    if (random.nextDouble() < loss) {
      return;
    }
    if (random.nextDouble() < reorder) {
      q.addFirst(b);
    } else {
      q.addLast(b);
    }
    if (random.nextDouble() < duplicate) {
      q.addLast(b.clone());
    }
  }

  static byte[] bytes(ByteBuffer d) {
    byte[] b = new byte[d.remaining()];
    d.duplicate().get(b);
    return b;
  }

  void start() {
    try {
      client.start(now, clientOut);
    } catch (DtlsException e) {
      clientError = e;
    }
    runTasks();
  }

  /** Runs until {@code done} holds, both sides fail, or {@code simulatedNanos} pass. */
  boolean runUntil(java.util.function.BooleanSupplier done, long simulatedNanos) {
    long deadline = now + simulatedNanos;
    while (!done.getAsBoolean()) {
      if (clientError != null && (server == null || serverError != null || server.isFailed())) {
        return false;
      }
      if (!step()) {
        long next =
            Math.min(
                client.nextTimerNanos(), server == null ? Long.MAX_VALUE : server.nextTimerNanos());
        if (next == Long.MAX_VALUE || next > deadline) {
          return done.getAsBoolean();
        }
        now = Math.max(now, next);
        try {
          client.onTimer(now, clientOut);
        } catch (DtlsException e) {
          clientError = e;
        }
        if (server != null) {
          try {
            server.onTimer(now, serverOut);
          } catch (DtlsException e) {
            serverError = e;
          }
        }
      }
    }
    return true;
  }

  /** Delivers one datagram; false when none is in flight. */
  boolean step() {
    runTasks();
    byte[] d = toServer.pollFirst();
    if (d != null) {
      toServer(d);
      runTasks();
      return true;
    }
    d = toClient.pollFirst();
    if (d != null) {
      try {
        client.receive(ByteBuffer.wrap(d), now, clientOut);
      } catch (DtlsException e) {
        clientError = e;
      }
      runTasks();
      return true;
    }
    return false;
  }

  void toServer(byte[] d) {
    if (server == null) {
      reply.clear();
      DtlsCookieGate.Verdict v = gate.check(ByteBuffer.wrap(d), CLIENT_ADDRESS, now, reply);
      if (v == DtlsCookieGate.Verdict.REPLY) {
        reply.flip();
        send(toClient, bytes(reply));
      } else if (v == DtlsCookieGate.Verdict.ACCEPT) {
        server = DtlsSession.server(serverConfig, gate.accepted(), serverStats);
        server.corruptFinished = corruptServerFinished;
        try {
          server.start(now, serverOut);
        } catch (DtlsException e) {
          serverError = e;
        }
      }
      return;
    }
    try {
      server.receive(ByteBuffer.wrap(d), now, serverOut);
    } catch (DtlsException e) {
      serverError = e;
    }
  }

  /** Runs delegated tasks as a worker would, then resumes each session. */
  void runTasks() {
    for (int i = 0; i < 4; i++) {
      boolean ran = false;
      if (client.hasTask()) {
        client.takeTask().run();
        ran = true;
        try {
          client.resume(now, clientOut);
        } catch (DtlsException e) {
          clientError = e;
        }
      }
      if (server != null && server.hasTask()) {
        server.takeTask().run();
        ran = true;
        try {
          server.resume(now, serverOut);
        } catch (DtlsException e) {
          serverError = e;
        }
      }
      if (!ran) {
        return;
      }
    }
  }

  boolean connected() {
    return client.isHandshakeComplete() && server != null && server.isHandshakeComplete();
  }

  boolean handshake() {
    start();
    return runUntil(this::connected, 60_000_000_000L);
  }

  void clientSends(String s) {
    client.send(ByteBuffer.wrap(s.getBytes()), now, clientOut);
  }

  void serverSends(String s) {
    server.send(ByteBuffer.wrap(s.getBytes()), now, serverOut);
  }
}
