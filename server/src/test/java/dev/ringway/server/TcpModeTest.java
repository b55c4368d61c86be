package dev.ringway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.core.conn.DisconnectReason;
import dev.ringway.server.cli.RingwayCli;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.Netns;
import dev.ringway.testkit.NetnsTest;
import dev.ringway.uring.LinuxFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringway server --set mode=tcp} as a process of its own in a test namespace, with Lightway
 * TCP clients (core's client connection over a plain socket) on threads that entered the namespace.
 */
@NetnsTest
class TcpModeTest {
  private static final int PORT = 27690;
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", PORT);
  private static final byte[] SERVER_TUN_IP = {10, 125, 0, 6};
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir Path state;
  private Netns netns;
  private Process server;
  private Path log;

  @BeforeEach
  void startServer() throws Exception {
    netns = Netns.create("tcpmode");
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            classpath,
            RingwayCli.class.getName(),
            "server",
            "--set",
            "mode=tcp",
            "--set",
            "stateDir=" + state,
            "--set",
            "bind=" + SERVER.getHostString() + ":" + PORT,
            "--set",
            "stats.interval=200ms",
            "--set",
            "io.engine=" + engine());
    log = state.resolve("server.log");
    server =
        netns
            .processBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Await.until(
        "the server listening on tcp",
        START,
        () -> output().contains(" on tcp ") || !server.isAlive());
    assertThat(server.isAlive()).as("server running; its output:%n%s", output()).isTrue();
  }

  /** The server's {@code io.engine}; {@link NioTcpModeTest} runs the same specifications on nio. */
  String engine() {
    return "uring";
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server.isAlive()) {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    netns.close();
  }

  @Test
  void aClientAuthenticatesOverTls13AndAnInsidePingComesBack() throws Exception {
    inNamespace(() -> {
      try (StreamClient client = demoClient()) {
        client.awaitOnline();

        assertThat(client.connection.tls().protocol()).isEqualTo("TLSv1.3");
        assertEchoReplyThroughTheTunnel(client, 1);
      }
      return null;
    });
  }

  @Test
  void tlsGarbageIsDroppedAndCountedWhileAnotherConnectionKeepsWorking() throws Exception {
    inNamespace(() -> {
      try (StreamClient good = demoClient();
          SocketChannel garbage = SocketChannel.open(SERVER)) {
        good.awaitOnline();
        long errorsBefore = tcpRxErrors();

        write(garbage, "GET / HTTP/1.1\r\nHost: not-tls\r\n\r\n");

        assertThat(readsUntilClosed(garbage)).as("the server closed the garbage stream").isTrue();
        Await.until("the garbage counted on tcp.rx", START, () -> tcpRxErrors() > errorsBefore);
        assertEchoReplyThroughTheTunnel(good, 2);
      }
      return null;
    });
    assertThat(output()).contains("disconnected: TLS_FAILURE");
  }

  @Test
  void aHalfOpenConnectionDoesNotBlockOthers() throws Exception {
    inNamespace(() -> {
      try (SocketChannel silent = SocketChannel.open(SERVER);
          StreamClient client = demoClient()) {
        client.awaitOnline();

        assertEchoReplyThroughTheTunnel(client, 3);
        assertThat(silent.isConnected())
            .as("the silent connection is simply left waiting")
            .isTrue();
      }
      return null;
    });
  }

  @Test
  void stoppingTheServerSaysGoodbyeToTcpClients() throws Exception {
    inNamespace(() -> {
      try (StreamClient client = demoClient()) {
        client.awaitOnline();

        server.destroy(); // SIGTERM

        client.pumpUntil("the Goodbye", Duration.ofSeconds(10), () -> client.ended != null);
        assertThat(client.ended).isEqualTo(DisconnectReason.GOODBYE);
      }
      return null;
    });
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).as("exit code; output:%n%s", output()).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private StreamClient demoClient() throws Exception {
    String password = Files.readString(state.resolve("demo.pass")).strip();
    return StreamClient.connect(SERVER, state.resolve("server.crt"), "demo", password);
  }

  /** An ICMP echo to the server's TUN address; the kernel in the namespace answers it. */
  private static void assertEchoReplyThroughTheTunnel(StreamClient client, int sequence)
      throws IOException {
    byte[] clientIp = ipv4(client.connection.insideConfig().orElseThrow().localIp());
    int before = client.inside.size();
    assertThat(client.connection.sendInside(IcmpEcho.request(clientIp, SERVER_TUN_IP, sequence)))
        .as("the echo request went into the tunnel")
        .isTrue();

    client.pumpUntil(
        "the echo reply",
        Duration.ofSeconds(10),
        () ->
            client.inside.stream()
                .skip(before)
                .anyMatch(packet -> IcmpEcho.isReply(packet, SERVER_TUN_IP, clientIp, sequence)));
  }

  private long tcpRxErrors() {
    JMXServiceURL url;
    try {
      url =
          new JMXServiceURL("service:jmx:rmi://127.0.0.1:27691/jndi/rmi://127.0.0.1:27691/jmxrmi");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try (JMXConnector jmx = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection beans = jmx.getMBeanServerConnection();
      return (Long)
          beans.getAttribute(new ObjectName("dev.ringway:type=Path,name=tcp.rx"), "Errors");
    } catch (Exception e) {
      throw new IllegalStateException("reading tcp.rx Errors over JMX", e);
    }
  }

  private static void write(SocketChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** Reads until the server closes or resets the stream; false if it stays open for 10 s. */
  private static boolean readsUntilClosed(SocketChannel channel) throws IOException {
    channel.socket().setSoTimeout(10_000);
    byte[] buffer = new byte[4096];
    try {
      while (channel.socket().getInputStream().read(buffer) >= 0) {
        // an alert may come first
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static byte[] ipv4(String dotted) {
    String[] parts = dotted.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }

  /** Runs {@code body} on a fresh platform thread inside the test namespace. */
  private <T> T inNamespace(Callable<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("in-" + netns.name())
        .start(() -> {
          try {
            LinuxFiles.enterNetworkNamespace(netns.name());
            result.complete(body.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "<no output: " + e + ">";
    }
  }

  /** IPv4 ICMP echo packets. */
  private static final class IcmpEcho {
    private static final int ID = 0x5257;

    static ByteBuffer request(byte[] source, byte[] destination, int sequence) {
      byte[] payload = "ringway tcp mode".getBytes(StandardCharsets.US_ASCII);
      ByteBuffer packet = ByteBuffer.allocate(20 + 8 + payload.length);
      packet
          .put((byte) 0x45)
          .put((byte) 0)
          .putShort((short) packet.capacity())
          .putShort((short) sequence)
          .putShort((short) 0x4000)
          .put((byte) 64)
          .put((byte) 1)
          .putShort((short) 0)
          .put(source)
          .put(destination);
      packet.putShort(10, checksum(packet.array(), 0, 20));
      packet
          .put((byte) 8)
          .put((byte) 0)
          .putShort((short) 0)
          .putShort((short) ID)
          .putShort((short) sequence)
          .put(payload);
      packet.putShort(22, checksum(packet.array(), 20, 8 + payload.length));
      return packet.flip();
    }

    static boolean isReply(byte[] packet, byte[] source, byte[] destination, int sequence) {
      ByteBuffer p = ByteBuffer.wrap(packet);
      return packet.length >= 28
          && (packet[0] >> 4) == 4
          && packet[9] == 1
          && packet[20] == 0
          && java.util.Arrays.equals(packet, 12, 16, source, 0, 4)
          && java.util.Arrays.equals(packet, 16, 20, destination, 0, 4)
          && (p.getShort(24) & 0xffff) == ID
          && (p.getShort(26) & 0xffff) == sequence;
    }

    private static short checksum(byte[] bytes, int offset, int length) {
      long sum = 0;
      for (int i = 0; i < length; i += 2) {
        int high = bytes[offset + i] & 0xff;
        int low = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
        sum += (high << 8) | low;
      }
      while ((sum >> 16) != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
      }
      return (short) ~sum;
    }
  }
}
