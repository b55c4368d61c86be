package dev.ringway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.Commands;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code openssl s_client -tls1_3} completes a handshake against a stream session. */
class OpenSslClientTest {

  @Test
  void opensslTls13ClientCompletesAHandshakeWithAStreamSession(@TempDir Path dir) throws Exception {
    SelfSigned identity = SelfSigned.generate("localhost", List.of("127.0.0.1"));
    Path ca = dir.resolve("ca.crt");
    identity.write(ca, dir.resolve("server.key"));
    TlsEndpoint endpoint =
        TlsEndpoint.server(List.of(identity.certificate()), identity.privateKey());
    AtomicReference<String> serverSaw = new AtomicReference<>("nothing");

    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(20_000);
      Thread server =
          Thread.ofPlatform()
              .start(() ->
                  serveOneConnection(listener, endpoint.newSession(Transport.STREAM), serverSaw));

      Commands.Result result =
          Commands.run(
              Duration.ofSeconds(20),
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
      server.join(20_000);

      assertThat(result.output())
          .contains("TLSv1.3")
          .contains("TLS_AES_256_GCM_SHA384")
          .contains("Verify return code: 0 (ok)");
      assertThat(serverSaw.get()).isEqualTo("TLSv1.3 TLS_AES_256_GCM_SHA384");
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
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
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
    } catch (java.io.IOException | RuntimeException e) {
      saw.compareAndSet("nothing", e.toString());
    }
  }
}
