package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import dev.ringway.testkit.NetnsTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One server and one client in TCP mode (TLS 1.3 streams), through real TUN devices in namespaces;
 * and bad input on the server's TCP port while the client transfers: streams that are not TLS are
 * ended, half-open ones time out, and the tunnel carries on.
 */
@NetnsTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpTunnelTest {
  /** The server gives up a connection that is not online within this (the real client is). */
  private static final int STALE_SECONDS = 10;

  private Topology topology;
  private Process server;
  private Process client;

  @BeforeAll
  void start() throws Exception {
    topology = Topology.createTcp(1);
    server = topology.startServer("session.staleTimeout=" + STALE_SECONDS + "s");
    client = topology.startClient(0);
    topology.awaitOnline(0, client);
  }

  @AfterAll
  void stop() throws Exception {
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  void theClientIsOnlineOverTls13() {
    assertThat(client.output()).contains("online over TLSv1.3");
  }

  @Test
  void fiftyPingsCrossTheTunnelWithoutLoss() {
    Commands.Result ping = topology.ping(0, 50);

    assertThat(ping.output()).as(ping.output()).contains("50 received", " 0% packet loss");
  }

  @Test
  void bulkTcpTransferArrivesIntact() throws Exception {
    long bytes = 200L * 1024 * 1024;
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5001, listening);
    listening.get(10, TimeUnit.SECONDS);

    Transfer.Digest sent =
        Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, 5001, bytes)
            .get(180, TimeUnit.SECONDS);

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
    assertThat(sent.bytes()).isEqualTo(bytes);
  }

  @Test
  void tlsGarbageOnTcpConnectionsDuringATransferEndsThoseConnectionsOnly() throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5002, listening);
    listening.get(10, TimeUnit.SECONDS);
    CompletableFuture<Transfer.Digest> sending =
        Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, 5002, 50L * 1024 * 1024);

    List<String> endings =
        InNamespace.run(topology.clients.get(0), TcpTunnelTest::sendGarbageOnNewConnections)
            .get(60, TimeUnit.SECONDS);

    assertThat(endings)
        .as("each garbage connection closed by the server")
        .allMatch("closed"::equals);
    assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(sending.get(120, TimeUnit.SECONDS));
    assertThat(server.isAlive()).isTrue();
    assertThat(server.output()).contains("disconnected: TLS_FAILURE");
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  @Test
  void halfOpenTcpConnectionsDuringATransferAreDroppedAndTheTransferCompletes() throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5003, listening);
    listening.get(10, TimeUnit.SECONDS);

    List<String> endings =
        InNamespace.run(
                topology.clients.get(0),
                () -> {
                  List<Socket> halfOpen = openHalfOpenConnections();
                  try {
                    // The transfer runs while the half-open connections hold their slots.
                    CompletableFuture<Transfer.Digest> sending =
                        Transfer.source(
                            topology.clients.get(0),
                            Topology.SERVER_INSIDE,
                            5003,
                            50L * 1024 * 1024);
                    Transfer.Digest sent = sending.get(120, TimeUnit.SECONDS);
                    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
                    List<String> result = new ArrayList<>();
                    for (Socket socket : halfOpen) {
                      result.add(awaitEnd(socket, (STALE_SECONDS + 20) * 1000));
                    }
                    return result;
                  } finally {
                    for (Socket socket : halfOpen) {
                      socket.close();
                    }
                  }
                })
            .get(240, TimeUnit.SECONDS);

    assertThat(endings)
        .as("every half-open connection ended by the server once it went stale")
        .allMatch("closed"::equals);
    assertThat(server.isAlive()).isTrue();
    assertThat(server.output()).contains("disconnected: STALE");
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  /**
   * Opens connections to the server's TCP port that send random bytes, random bytes after a
   * plausible TLS record header, and a TLS record header with an absurd length; returns, for each,
   * whether the server closed it ("closed") or left it open ("open").
   */
  static List<String> sendGarbageOnNewConnections() throws Exception {
    Random random = new Random(42);
    List<byte[]> payloads = new ArrayList<>();
    byte[] junk = new byte[2000];
    random.nextBytes(junk);
    junk[0] = 'X';
    payloads.add(junk);
    byte[] fakeHandshake = new byte[600];
    random.nextBytes(fakeHandshake);
    fakeHandshake[0] = 0x16; // handshake record, TLS 1.0 legacy version, 595 bytes of junk
    fakeHandshake[1] = 0x03;
    fakeHandshake[2] = 0x01;
    fakeHandshake[3] = 0x02;
    fakeHandshake[4] = 0x53;
    payloads.add(fakeHandshake);
    payloads.add(new byte[] {0x17, 0x03, 0x03, (byte) 0xff, (byte) 0xff, 1, 2, 3});
    List<String> endings = new ArrayList<>();
    for (byte[] payload : payloads) {
      try (Socket socket = connect()) {
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
        endings.add(awaitEnd(socket, 10_000));
      }
    }
    return endings;
  }

  /**
   * Connections that stop half-way: one sends nothing at all, one half a TLS record (a header
   * promising 512 bytes and 100 of them), one a whole ClientHello-sized header and a few bytes.
   */
  static List<Socket> openHalfOpenConnections() throws IOException {
    Random random = new Random(7);
    List<Socket> sockets = new ArrayList<>();
    sockets.add(connect());
    byte[] halfRecord = new byte[105];
    random.nextBytes(halfRecord);
    halfRecord[0] = 0x16;
    halfRecord[1] = 0x03;
    halfRecord[2] = 0x01;
    halfRecord[3] = 0x02;
    halfRecord[4] = 0x00;
    Socket half = connect();
    half.getOutputStream().write(halfRecord);
    sockets.add(half);
    Socket header = connect();
    header.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01});
    sockets.add(header);
    return sockets;
  }

  static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(Topology.serverOutside(0), 27690), 5000);
    return socket;
  }

  /** Reads until the server ends the connection ("closed") or {@code millis} pass ("open"). */
  static String awaitEnd(Socket socket, int millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return "open";
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(buffer) < 0) {
          return "closed";
        }
      } catch (SocketTimeoutException e) {
        return "open";
      } catch (IOException e) {
        return "closed"; // reset by the server
      }
    }
  }
}
