package dev.ringway.core.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringway.testkit.Await;
import dev.ringway.testkit.WolfSsl;
import dev.ringway.testkit.WolfSslTest;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against wolfSSL 5.5.4's example programs (the library Lightway uses) over loopback
 * UDP.
 */
@WolfSslTest
class DtlsWolfSslInteropTest {
  static final TestPki PKI = new TestPki();
  static final TestPki.Identity EC = PKI.server("EC256", List.of("localhost", "127.0.0.1"));
  static final byte[] SECRET = "interop-cookie-secret-0123456789".getBytes();
  static WolfSsl wolf;

  @TempDir static Path dir;
  static Path caFile;
  static Path certFile;
  static Path keyFile;

  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void files() throws IOException {
    wolf = WolfSsl.get();
    caFile = dir.resolve("ca.pem");
    certFile = dir.resolve("server.pem");
    keyFile = dir.resolve("server.key");
    Files.writeString(caFile, pem("CERTIFICATE", encoded(PKI.ca)));
    Files.writeString(certFile, pem("CERTIFICATE", encoded(EC.chain().get(0))));
    Files.writeString(keyFile, pem("PRIVATE KEY", EC.key().getEncoded()));
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(wolf.sourceTree().toFile());
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** The example server writes no ready file for UDP: watch the kernel's socket table instead. */
  static boolean udpBound(int port) {
    try {
      String hex = String.format(":%04X ", port);
      return Files.readAllLines(Path.of("/proc/net/udp")).stream().anyMatch(l -> l.contains(hex));
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String ourServerWithWolfClient(String suite, List<String> extra, double loss)
      throws Exception {
    DtlsServerConfig config =
        DtlsServerConfig.of(EC.chain(), EC.key(), SECRET).withInlineTasks(true);
    try (UdpEndpoint server = UdpEndpoint.server(config)) {
      server.loss = loss;
      server.reorder = loss > 0;
      server.replyOnData = "reply from ringway";
      Path log = dir.resolve("client-" + System.nanoTime() + ".log");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  wolf.exampleClient().toString(),
                  "-u",
                  "-v",
                  "4",
                  "-x",
                  "-p",
                  String.valueOf(server.port()),
                  "-A",
                  caFile.toString(),
                  "-l",
                  suite));
      cmd.addAll(extra);
      Process client = start(log, cmd.toArray(String[]::new));
      boolean done = server.runUntil(() -> !client.isAlive(), 30_000);
      server.runUntil(() -> false, 200);
      String output = Files.readString(log);
      assertTrue(done, "wolfSSL client still running:\n" + output);
      assertEquals(0, client.waitFor(), output + " engine error " + server.error);
      assertTrue(server.session.isHandshakeComplete(), output);
      // With -I the example client updates its keys, writes, reads the reply, then writes again.
      List<String> expected =
          extra.contains("-I")
              ? List.of("hello wolfssl!", "hello wolfssl!")
              : List.of("hello wolfssl!");
      assertEquals(expected, server.received.stream().map(String::strip).toList());
      assertTrue(output.contains("reply from ringway"), output);
      return output
          + "\nsuite "
          + server.session.cipherSuite()
          + " group "
          + server.session.group();
    }
  }

  @Test
  void wolfClientToOurServerWithAes256() throws Exception {
    String out = ourServerWithWolfClient("TLS13-AES256-GCM-SHA384", List.of(), 0);
    assertTrue(out.contains("suite TLS_AES_256_GCM_SHA384"), out);
  }

  @Test
  void wolfClientToOurServerWithChaCha20() throws Exception {
    String out = ourServerWithWolfClient("TLS13-CHACHA20-POLY1305-SHA256", List.of(), 0);
    assertTrue(out.contains("suite TLS_CHACHA20_POLY1305_SHA256"), out);
  }

  @Test
  void wolfClientWithAnX448ShareGetsOurHelloRetryRequest() throws Exception {
    String out = ourServerWithWolfClient("TLS13-AES256-GCM-SHA384", List.of("-8"), 0);
    assertTrue(out.contains("group "), out);
  }

  private String ourClientWithWolfServer(String suite, List<String> extra) throws Exception {
    return ourClientWithWolfServer(
        suite,
        extra,
        DtlsClientConfig.of(PKI.anchors(), "localhost").withInlineTasks(true),
        0,
        false);
  }

  private String ourClientWithWolfServer(
      String suite, List<String> extra, DtlsClientConfig config, double loss, boolean keyUpdate)
      throws Exception {
    int port = freePort();
    Path log = dir.resolve("server-" + System.nanoTime() + ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                wolf.exampleServer().toString(),
                "-u",
                "-v",
                "4",
                "-d",
                "-p",
                String.valueOf(port),
                "-c",
                certFile.toString(),
                "-k",
                keyFile.toString(),
                "-A",
                caFile.toString(),
                "-l",
                suite));
    cmd.addAll(extra);
    Process server = start(log, cmd.toArray(String[]::new));
    Await.until(
        "wolfSSL server bound to UDP port " + port, Duration.ofSeconds(10), () -> udpBound(port));
    try (UdpEndpoint client = UdpEndpoint.client(config, port)) {
      client.loss = loss;
      client.reorder = loss > 0;
      client.start();
      boolean up = client.runUntil(() -> client.session.isHandshakeComplete(), 40_000);
      assertTrue(up, Files.readString(log) + " engine error " + client.error);
      if (keyUpdate) {
        Await.until(
            "our client's last flight acknowledged",
            Duration.ofSeconds(10),
            () -> {
              try {
                client.runUntil(() -> false, 20);
                return client.session.requestKeyUpdate(System.nanoTime(), client.out);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        assertTrue(
            client.runUntil(() -> client.session.sendEpoch() == 4, 10_000), "KeyUpdate acked");
      }
      client.send("hello from ringway\n");
      client.runUntil(() -> !client.received.isEmpty(), 10_000);
      if (extra.contains("-U")) {
        // With -U the example server updates its keys, writes, then reads a second line.
        client.send("second line after the server's KeyUpdate\n");
        client.runUntil(() -> !server.isAlive(), 10_000);
        assertTrue(client.session.receiveEpoch() >= 4, "the server's KeyUpdate was taken");
      }
      assertTrue(server.waitFor(10, TimeUnit.SECONDS), Files.readString(log));
      String output = Files.readString(log);
      assertTrue(output.contains("hello from ringway"), output);
      assertTrue(client.received.size() >= 1, output);
      return output
          + "\nsuite "
          + client.session.cipherSuite()
          + " group "
          + client.session.group();
    }
  }

  @Test
  void ourClientToWolfServerWithAes256() throws Exception {
    String out = ourClientWithWolfServer("TLS13-AES256-GCM-SHA384", List.of());
    assertTrue(out.contains("suite TLS_AES_256_GCM_SHA384"), out);
  }

  @Test
  void ourClientToWolfServerWithChaCha20() throws Exception {
    String out = ourClientWithWolfServer("TLS13-CHACHA20-POLY1305-SHA256", List.of());
    assertTrue(out.contains("suite TLS_CHACHA20_POLY1305_SHA256"), out);
  }

  @Test
  void wolfClientWithNoKeyShareLetsOurHelloRetryRequestChooseTheGroup() throws Exception {
    String out = ourServerWithWolfClient("TLS13-CHACHA20-POLY1305-SHA256", List.of("-J"), 0);
    assertTrue(out.contains("group SECP256R1") || out.contains("group X25519"), out);
  }

  @Test
  void wolfClientThroughTwentyPercentLossAndReorderingToOurServer() throws Exception {
    ourServerWithWolfClient("TLS13-AES256-GCM-SHA384", List.of(), 0.2);
  }

  @Test
  void ourClientThroughTwentyPercentLossAndReorderingToWolfServer() throws Exception {
    ourClientWithWolfServer(
        "TLS13-CHACHA20-POLY1305-SHA256",
        List.of(),
        DtlsClientConfig.of(PKI.anchors(), "localhost").withInlineTasks(true),
        0.2,
        false);
  }

  @Test
  void wolfClientUpdatesKeysBeforeSendingToOurServer() throws Exception {
    ourServerWithWolfClient("TLS13-AES256-GCM-SHA384", List.of("-I"), 0);
  }

  @Test
  void wolfServerUpdatesKeysBeforeSendingToOurClient() throws Exception {
    ourClientWithWolfServer(
        "TLS13-CHACHA20-POLY1305-SHA256",
        List.of("-U"),
        DtlsClientConfig.of(PKI.anchors(), "localhost").withInlineTasks(true),
        0,
        false);
  }

  @Test
  void ourKeyUpdateToWolfServerMidStream() throws Exception {
    ourClientWithWolfServer(
        "TLS13-AES256-GCM-SHA384",
        List.of(),
        DtlsClientConfig.of(PKI.anchors(), "localhost").withInlineTasks(true),
        0,
        true);
  }

  static String text(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
