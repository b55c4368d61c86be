package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.server.jmx.PathMXBean;
import dev.ringway.server.jmx.ServerMXBean;
import dev.ringway.server.jmx.TunablesMXBean;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.NetnsTest;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server on the nio engine ({@code io.engine: nio}) in TCP mode, the client on io_uring,
 * through real TUN devices in namespaces: TLS 1.3 streams on non-blocking socket channels, their
 * counters and JMX, bad and half-open connections beside a transfer, and the TCP tunables live.
 */
@NetnsTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NioTcpTunnelTest {
  private static final long BULK = 64L * 1024 * 1024;

  /** The server gives up a connection that is not online within this (the real client is). */
  private static final int STALE_SECONDS = 10;

  private Topology topology;
  private Process server;
  private Process client;
  private JMXConnector jmx;

  @BeforeAll
  void start() throws Exception {
    topology = Topology.createTcp(1);
    String jmxAddress = topology.linkHost();
    server =
        topology.startServer(
            "io.engine=nio",
            "session.staleTimeout=" + STALE_SECONDS + "s",
            "jmx.bind=" + jmxAddress + ":27691",
            "jmx.insecure=true",
            "stats.interval=250ms");
    client = topology.startClient(0);
    topology.awaitOnline(0, client);
    jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL(
                "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi"
                    .formatted(jmxAddress, jmxAddress)));
  }

  @AfterAll
  void stop() throws Exception {
    if (jmx != null) {
      jmx.close();
    }
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  void jmxAndTheLogSayTheServerRunsOnNioAndTheClientIsOnlineOverTls13() throws Exception {
    ServerMXBean bean = proxy("dev.ringway:type=Server", ServerMXBean.class);

    assertThat(bean.getEngine()).isEqualTo("nio");
    assertThat(server.output()).contains(" on tcp ").contains("(nio engine)");
    assertThat(client.output()).contains("online over TLSv1.3");
  }

  @Test
  void fiftyPingsCrossTheTunnelWithoutLoss() {
    Commands.Result ping = topology.ping(0, 50);

    assertThat(ping.output()).as(ping.output()).contains("50 received", " 0% packet loss");
  }

  @Test
  void bulkTransfersBothWaysArriveIntactAndEveryTcpPathCountsThem() throws Exception {
    PathMXBean accept = path("tcp.accept");
    PathMXBean tcpRx = path("tcp.rx");
    PathMXBean tcpTx = path("tcp.tx");
    long rxBytes = tcpRx.getBytes();
    long txBytes = tcpTx.getBytes();

    // Up: the client sends, the server reads its stream and writes the packets to its TUN device.
    assertTransferIntact(
        topology.server, Topology.SERVER_INSIDE, topology.clients.get(0), Topology.SERVER_INSIDE);
    // Down: the server reads packets from its TUN device and writes them to the client's stream.
    assertTransferIntact(
        topology.clients.get(0), Topology.CLIENT_INSIDE, topology.server, clientPoolAddress());

    Await.until(
        "tcp.rx and tcp.tx to count a transfer's worth of bytes: tcp.rx "
            + (tcpRx.getBytes() - rxBytes)
            + ", tcp.tx "
            + (tcpTx.getBytes() - txBytes),
        Duration.ofSeconds(10),
        () -> tcpRx.getBytes() - rxBytes > BULK && tcpTx.getBytes() - txBytes > BULK);
    assertThat(accept.getPackets()).as("the client's connection accepted").isPositive();
    // Synchronous I/O: nothing is ever in flight.
    assertThat(tcpRx.getInFlight()).isZero();
    assertThat(tcpTx.getInFlight()).isZero();
    assertThat(server.isAlive()).isTrue();
  }

  @Test
  void tlsGarbageOnTcpConnectionsDuringATransferEndsThoseConnectionsOnly() throws Exception {
    PathMXBean tcpRx = path("tcp.rx");
    long errorsBefore = tcpRx.getErrors();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5102, listening);
    listening.get(10, TimeUnit.SECONDS);
    CompletableFuture<Transfer.Digest> sending =
        Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, 5102, 50L * 1024 * 1024);

    List<String> endings =
        InNamespace.run(topology.clients.get(0), TcpTunnelTest::sendGarbageOnNewConnections)
            .get(60, TimeUnit.SECONDS);

    assertThat(endings)
        .as("each garbage connection closed by the server")
        .allMatch("closed"::equals);
    assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(sending.get(120, TimeUnit.SECONDS));
    assertThat(server.output()).contains("disconnected: TLS_FAILURE");
    Await.until(
        "tcp.rx Errors to count the garbage streams",
        Duration.ofSeconds(10),
        () -> tcpRx.getErrors() > errorsBefore);
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  @Test
  void halfOpenTcpConnectionsDuringATransferAreDroppedAndTheTransferCompletes() throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5103, listening);
    listening.get(10, TimeUnit.SECONDS);

    List<String> endings =
        InNamespace.run(
                topology.clients.get(0),
                () -> {
                  List<Socket> halfOpen = TcpTunnelTest.openHalfOpenConnections();
                  try {
                    Transfer.Digest sent =
                        Transfer.source(
                                topology.clients.get(0),
                                Topology.SERVER_INSIDE,
                                5103,
                                50L * 1024 * 1024)
                            .get(120, TimeUnit.SECONDS);
                    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
                    List<String> result = new ArrayList<>();
                    for (Socket socket : halfOpen) {
                      result.add(TcpTunnelTest.awaitEnd(socket, (STALE_SECONDS + 20) * 1000));
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
    assertThat(server.output()).contains("disconnected: STALE");
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
  }

  @Test
  void theTcpTunablesApplyLive() throws Exception {
    TunablesMXBean tunables = proxy("dev.ringway:type=Tunables", TunablesMXBean.class);
    PathMXBean accept = path("tcp.accept");
    int maxBefore = tunables.getTcpMaxConnections();
    int bufferBefore = tunables.getTcpSocketBufferBytes();
    long refusedBefore = accept.getSlotExhausted();
    try {
      String outcome =
          tunables.apply(Map.of("io.tcp.socketBuffer", "1MiB", "io.tcp.maxConnections", "1"));

      assertThat(outcome).doesNotContain("recorded only");
      // The client's open stream takes the new buffers at once; SO_RCVBUF as the kernel stores
      // it: doubled.
      assertThat(topology.server.exec("ss", "-tmn", "sport", "=", ":27690").output())
          .contains("rb" + 2 * 1024 * 1024);
      List<String> endings =
          InNamespace.run(
                  topology.clients.get(0),
                  () -> {
                    try (Socket extra = TcpTunnelTest.connect()) {
                      return List.of(TcpTunnelTest.awaitEnd(extra, 10_000));
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      assertThat(endings).as("past the limit a new connection is closed").containsExactly("closed");
      Await.until(
          "the refusal counted on tcp.accept",
          Duration.ofSeconds(10),
          () -> accept.getSlotExhausted() > refusedBefore);
      assertThat(topology.ping(0, 5).output())
          .as("lowering the limit never closes the open connection")
          .contains(" 0% packet loss");
    } finally {
      tunables.apply(
          Map.of(
              "io.tcp.socketBuffer", String.valueOf(bufferBefore),
              "io.tcp.maxConnections", String.valueOf(maxBefore)));
    }
  }

  private void assertTransferIntact(
      dev.ringway.testkit.Netns sinkIn,
      String sinkAddress,
      dev.ringway.testkit.Netns sourceIn,
      String target)
      throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    int port = 5100 + (sinkIn == topology.server ? 0 : 1);
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(sinkIn, sinkAddress, port, listening);
    listening.get(10, TimeUnit.SECONDS);

    Transfer.Digest sent = Transfer.source(sourceIn, target, port, BULK).get(180, TimeUnit.SECONDS);

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
    assertThat(sent.bytes()).isEqualTo(BULK);
  }

  /** The client's address in the server's pool, from {@code Connections.list()}. */
  private String clientPoolAddress() throws Exception {
    TabularData rows =
        (TabularData)
            jmx.getMBeanServerConnection()
                .invoke(new ObjectName("dev.ringway:type=Connections"), "list", null, null);
    assertThat(rows.values()).hasSize(1);
    CompositeData row =
        (CompositeData) ((CompositeData) rows.values().iterator().next()).get("value");
    return row.get("innerIp").toString();
  }

  private PathMXBean path(String name) throws Exception {
    return proxy("dev.ringway:type=Path,name=" + name, PathMXBean.class);
  }

  private <T> T proxy(String name, Class<T> type) throws Exception {
    MBeanServerConnection connection = jmx.getMBeanServerConnection();
    return JMX.newMXBeanProxy(connection, new ObjectName(name), type);
  }
}
