package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.server.jmx.PathMXBean;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Commands;
import dev.ringway.testkit.NetnsTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One server and one client in UDP mode, through real TUN devices in namespaces. */
@NetnsTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UdpTunnelTest {
  static final String REJECT_NOTICE = "4865010100000000ffffffffffffffff";

  private Topology topology;
  private Process server;
  private String jmxAddress;
  private Process client;

  @BeforeAll
  void start() throws Exception {
    topology = Topology.create(1);
    jmxAddress = topology.linkHost();
    server =
        topology.startServer(
            "jmx.bind=" + jmxAddress + ":27691", "jmx.insecure=true", "stats.interval=250ms");
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
  void fiftyPingsCrossTheTunnelWithoutLoss() {
    Commands.Result ping = topology.ping(0, 50);

    assertThat(ping.output()).as(ping.output()).contains("50 received", " 0% packet loss");
  }

  @Test
  void fullSizePacketsCrossTheTunnelUnfragmented() {
    // 1322 bytes of ICMP payload make 1350-byte IP packets: the tunnel's MTU, with DF set.
    Commands.Result ping =
        topology
            .clients
            .get(0)
            .exec(
                "ping",
                "-c",
                "10",
                "-i",
                "0.05",
                "-W",
                "2",
                "-M",
                "do",
                "-s",
                "1322",
                Topology.SERVER_INSIDE);

    assertThat(ping.output()).as(ping.output()).contains("10 received", " 0% packet loss");
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
  void badInputDuringATransferIsDroppedAndTheTransferCompletes() throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, 5002, listening);
    listening.get(10, TimeUnit.SECONDS);
    CompletableFuture<Transfer.Digest> sending =
        Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, 5002, 50L * 1024 * 1024);

    long errorsBefore = udpRxErrors();
    String reject =
        InNamespace.run(topology.clients.get(0), UdpTunnelTest::sendGarbageAndAwaitReject)
            .get(30, TimeUnit.SECONDS);

    assertThat(reject).isEqualTo(REJECT_NOTICE);
    assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(sending.get(120, TimeUnit.SECONDS));
    assertThat(server.isAlive()).isTrue();
    assertThat(topology.ping(0, 5).output()).contains(" 0% packet loss");
    // 200 junk datagrams, a truncated header, a wrong magic, a bad version, an unknown session.
    Await.until(
        "udp.rx Errors to count every dropped datagram",
        Duration.ofSeconds(10),
        () -> udpRxErrors() - errorsBefore >= 204);
  }

  @Test
  void connectionsListNamesTheClientsUserAndWhenItCame() throws Exception {
    long now = System.currentTimeMillis();
    try (JMXConnector jmx = JMXConnectorFactory.connect(jmxUrl())) {
      javax.management.openmbean.TabularData rows =
          (javax.management.openmbean.TabularData)
              jmx.getMBeanServerConnection()
                  .invoke(new ObjectName("dev.ringway:type=Connections"), "list", null, null);

      assertThat(rows.values()).hasSize(1);
      // A SortedMap<String, ConnectionRow> over JMX: rows of {key: session, value: the row}.
      javax.management.openmbean.CompositeData row =
          (javax.management.openmbean.CompositeData)
              ((javax.management.openmbean.CompositeData) rows.values().iterator().next())
                  .get("value");
      assertThat(row.get("user")).isEqualTo("demo");
      assertThat(row.get("mode")).isEqualTo("udp");
      assertThat(row.get("innerIp").toString()).startsWith("10.125.");
      assertThat((Long) row.get("sinceEpochMillis")).isBetween(now - 600_000, now);
    }
  }

  private JMXServiceURL jmxUrl() throws java.net.MalformedURLException {
    return new JMXServiceURL(
        "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi".formatted(jmxAddress, jmxAddress));
  }

  private long udpRxErrors() {
    try (JMXConnector jmx =
        JMXConnectorFactory.connect(
            new JMXServiceURL(
                "service:jmx:rmi://%s:27691/jndi/rmi://%s:27691/jmxrmi"
                    .formatted(jmxAddress, jmxAddress)))) {
      return JMX.newMXBeanProxy(
              jmx.getMBeanServerConnection(),
              new ObjectName("dev.ringway:type=Path,name=udp.rx"),
              PathMXBean.class)
          .getErrors();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read udp.rx over JMX", e);
    }
  }

  /**
   * Sends random datagrams, truncated and wrong-magic headers and unsupported versions (all
   * silently dropped), then a datagram for a session the server never issued, and returns the
   * server's answer to that last one in hex.
   */
  static String sendGarbageAndAwaitReject() throws Exception {
    InetSocketAddress target = new InetSocketAddress(Topology.serverOutside(0), 27690);
    Random random = new Random(42);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(3000);
      for (int i = 0; i < 200; i++) {
        byte[] junk = new byte[1 + random.nextInt(1400)];
        random.nextBytes(junk);
        junk[0] = 'X'; // never the magic, so no junk datagram starts a connection
        socket.send(new DatagramPacket(junk, junk.length, target));
      }
      byte[] truncated = HexFormat.of().parseHex("486501030000");
      byte[] wrongMagic = HexFormat.of().parseHex("485f010300000000123456789abcdef0");
      byte[] badVersion = HexFormat.of().parseHex("4865010900000000123456789abcdef0");
      for (byte[] datagram : new byte[][] {truncated, wrongMagic, badVersion}) {
        socket.send(new DatagramPacket(datagram, datagram.length, target));
      }
      byte[] unknownSession =
          ByteBuffer.allocate(40)
              .put(HexFormat.of().parseHex("4865010300000000"))
              .putLong(0x0123456789abcdefL)
              .array();
      socket.send(new DatagramPacket(unknownSession, unknownSession.length, target));
      byte[] answer = new byte[64];
      DatagramPacket reply = new DatagramPacket(answer, answer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        return "no answer";
      }
      return HexFormat.of().formatHex(answer, 0, reply.getLength());
    }
  }
}
