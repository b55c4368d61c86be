package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.NetnsTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sessions over TCP coming and going: several clients, a client that dies (with its stream closed
 * by the kernel, or gone without a word), a server that restarts.
 */
@NetnsTest
class TcpSessionLifecycleTest {
  private static final Pattern ONLINE = Pattern.compile("/([0-9.]+):\\d+ online as ([0-9.]+)");

  @Test
  void twoClientsGetDistinctAddressesAndOnlyTheirOwnTraffic() throws Exception {
    try (Topology topology = Topology.createTcp(2)) {
      Process server = topology.startServer();
      for (int i = 0; i < 2; i++) {
        topology.awaitOnline(i, topology.startClient(i));
      }
      Await.until("two online log lines", Duration.ofSeconds(10), () -> online(server).size() == 2);
      List<String[]> online = online(server);
      String poolOf0 = poolAddressOf(online, Topology.clientOutside(0));
      String poolOf1 = poolAddressOf(online, Topology.clientOutside(1));
      assertThat(poolOf0).isNotEqualTo(poolOf1);

      List<CompletableFuture<String>> heard = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        heard.add(InNamespace.run(topology.clients.get(i), TcpSessionLifecycleTest::listenOnce));
      }
      InNamespace.run(
              topology.server,
              () -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                  for (int round = 0; round < 20; round++) {
                    send(socket, poolOf0, "for client 0");
                    send(socket, poolOf1, "for client 1");
                    if (heard.get(0).isDone() && heard.get(1).isDone()) {
                      break;
                    }
                    Thread.sleep(100);
                  }
                }
                return null;
              })
          .get(30, TimeUnit.SECONDS);

      assertThat(heard.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("for client 0");
      assertThat(heard.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("for client 1");
    }
  }

  @Test
  void aKilledClientsSessionEndsWithItsStream() throws Exception {
    try (Topology topology = Topology.createTcp(1)) {
      Process server = topology.startServer();
      Process client = topology.startClient(0);
      topology.awaitOnline(0, client);

      client.kill();

      Await.until(
          "the server to end the session when the dead client's socket closes: " + server,
          Duration.ofSeconds(30),
          () -> server.output().contains("disconnected: PEER_CLOSED"));
    }
  }

  @Test
  void aClientThatVanishesWithoutClosingItsStreamExpiresOnTheServer() throws Exception {
    try (Topology topology = Topology.createTcp(1)) {
      Process server = topology.startServer("session.idleTimeout=15s", "session.staleTimeout=10s");
      Process client = topology.startClient(0);
      topology.awaitOnline(0, client);

      topology.cutLink(0);
      client.kill();

      Await.until(
          "the server to age the session out: " + server,
          Duration.ofSeconds(60),
          () -> server.output().contains("disconnected: AGED_OUT"));
      assertThat(server.output()).doesNotContain("disconnected: PEER_CLOSED");
    }
  }

  @Test
  void sigtermSaysGoodbyeOnTheStreamAndExitsZero() throws Exception {
    try (Topology topology = Topology.createTcp(1)) {
      Process server = topology.startServer();
      Process client = topology.startClient(0);
      topology.awaitOnline(0, client);

      assertThat(client.stop(Duration.ofSeconds(2))).as("exit code: " + client).isZero();

      Await.until(
          "the server to hear the Goodbye: " + server,
          Duration.ofSeconds(10),
          () -> server.output().contains("disconnected: GOODBYE"));
    }
  }

  @Test
  void aRestartedServerIsReconnectedTo() throws Exception {
    try (Topology topology = Topology.createTcp(1)) {
      Process server = topology.startServer();
      Process client = topology.startClient(0, "reconnect.maxBackoff=2s");
      topology.awaitOnline(0, client);
      int onlineBefore = count(client.output(), "online over");

      assertThat(server.stop(Duration.ofSeconds(5))).as("clean exit on SIGTERM").isZero();
      topology.startServer();

      Await.until(
          "the client to come online again: " + client,
          Duration.ofSeconds(90),
          () -> count(client.output(), "online over") > onlineBefore);
      // The new server's JVM starts cold; what matters is that the tunnel carries traffic again.
      Await.until(
          "five pings in a row through the new session",
          Duration.ofSeconds(30),
          () -> topology.ping(0, 5).output().contains(" 0% packet loss"));
    }
  }

  private static String listenOnce() throws Exception {
    try (DatagramSocket socket =
        new DatagramSocket(
            new InetSocketAddress(InetAddress.getByName(Topology.CLIENT_INSIDE), 7000))) {
      socket.setSoTimeout(30_000);
      byte[] buffer = new byte[256];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
    }
  }

  private static void send(DatagramSocket socket, String address, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(
        new DatagramPacket(
            bytes, bytes.length, new InetSocketAddress(InetAddress.getByName(address), 7000)));
  }

  private static List<String[]> online(Process server) {
    List<String[]> result = new ArrayList<>();
    Matcher matcher = ONLINE.matcher(server.output());
    while (matcher.find()) {
      result.add(new String[] {matcher.group(1), matcher.group(2)});
    }
    return result;
  }

  private static String poolAddressOf(List<String[]> online, String outside) {
    return online.stream()
        .filter(entry -> entry[0].equals(outside))
        .map(entry -> entry[1])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no online line for " + outside));
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }
}
