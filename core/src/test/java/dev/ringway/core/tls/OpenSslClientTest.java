package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A real {@code openssl s_client -tls1_3} against a stream session served over a socket. */
class OpenSslClientTest {
  @TempDir static Path dir;
  static SelfSigned identity;
  static Path ca;

  @BeforeAll
  static void identity() throws IOException {
    identity = SelfSigned.generate("localhost", List.of("localhost", "127.0.0.1"));
    ca = dir.resolve("ca.crt");
    identity.write(ca, dir.resolve("server.key"));
  }

  /** What the client printed and what the server session saw. */
  record Handshake(String clientOutput, String serverSaw) {}

  @Test
  void opensslCompletesATls13HandshakeAndVerifiesTheServer() throws Exception {
    Handshake result = handshake();

    assertThat(result.clientOutput())
        .contains("New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384")
        .contains("Verify return code: 0 (ok)");
    assertThat(result.serverSaw()).isEqualTo("TLSv1.3 TLS_AES_256_GCM_SHA384");
  }

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource({
    "TLS_AES_256_GCM_SHA384, X25519, X25519",
    "TLS_AES_256_GCM_SHA384, P-256, prime256v1",
    "TLS_CHACHA20_POLY1305_SHA256, X25519, X25519",
    "TLS_CHACHA20_POLY1305_SHA256, P-256, prime256v1"
  })
  void everyOfferedSuiteAndGroupIsAccepted(String suite, String group, String printedGroup)
      throws Exception {
    Handshake result = handshake("-ciphersuites", suite, "-groups", group);

    assertThat(result.clientOutput())
        .contains("Cipher is " + suite)
        .containsPattern("Server Temp Key: .*" + printedGroup);
    assertThat(result.serverSaw()).isEqualTo("TLSv1.3 " + suite);
  }

  @Test
  void aes128IsRefusedAsByLightwayServers() throws Exception {
    Handshake result = handshake("-ciphersuites", "TLS_AES_128_GCM_SHA256");

    assertThat(result.clientOutput()).doesNotContain("Cipher is TLS_AES_128_GCM_SHA256");
    assertThat(result.serverSaw()).doesNotStartWith("TLSv1.3");
  }

  @Test
  void groupsOutsideX25519AndP256AreRefused() throws Exception {
    Handshake result = handshake("-groups", "P-384");

    assertThat(result.clientOutput()).doesNotContain("New, TLSv1.3");
    assertThat(result.serverSaw()).doesNotStartWith("TLSv1.3");
  }

  private static Handshake handshake(String... extra) throws Exception {
    TlsEndpoint endpoint =
        TlsEndpoint.server(List.of(identity.certificate()), identity.privateKey());
    AtomicReference<String> serverSaw = new AtomicReference<>("nothing");
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(20_000);
      Thread server =
          Thread.ofPlatform()
              .start(() ->
                  serveOneConnection(listener, endpoint.newSession(Transport.STREAM), serverSaw));
      List<String> command =
          new ArrayList<>(
              List.of(
                  "openssl",
                  "s_client",
                  "-tls1_3",
                  "-connect",
                  "127.0.0.1:" + listener.getLocalPort(),
                  "-CAfile",
                  ca.toString(),
                  "-verify_return_error",
                  "-servername",
                  "localhost"));
      command.addAll(List.of(extra));
      Commands.Result result = Commands.run(Duration.ofSeconds(20), command);
      server.join(20_000);
      return new Handshake(result.output(), serverSaw.get());
    }
  }

  /** The test's tiny blocking "event loop": socket bytes in and out of the session. */
  private static void serveOneConnection(
      ServerSocket listener, TlsSession session, AtomicReference<String> saw) {
    try (Socket socket = listener.accept()) {
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      TlsSession.Output output =
          new TlsSession.Output() {
            @Override
            public void outsideBytes(ByteBuffer bytes) {
              try {
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }

            @Override
            public void plaintext(ByteBuffer plaintext) {}
          };
      byte[] buffer = new byte[1500];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        session.receive(ByteBuffer.wrap(buffer, 0, n), output);
        for (Runnable task = session.takeDelegatedTask(); task != null; ) {
          task.run();
          session.resume(output);
          task = session.takeDelegatedTask();
        }
        out.flush();
        if (session.handshakeComplete()) {
          saw.set(session.protocol() + " " + session.cipherSuite());
        }
      }
    } catch (IOException | RuntimeException e) {
      saw.compareAndSet("nothing", e.toString());
    }
  }
}
