package dev.ringway.testkit.wolfssl;

import dev.ringway.testkit.WolfSsl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wolfSSL's {@code examples/server/server} over UDP on a loopback port, for one connection without
 * client certificates: it reads one record, prints {@code Client message: …} and answers {@link
 * #REPLY} (or, with {@code -e}, echoes every record). Its output goes to a file, readable with
 * {@link #output()}.
 */
public final class ExampleServer implements AutoCloseable {
  /** What the example server writes back to the first record it reads. */
  public static final String REPLY = "I hear you fa shizzle!";

  private final java.lang.Process process;
  private final Path log;
  private final int port;

  private ExampleServer(java.lang.Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts it for {@code version} ({@link DtlsVersion#DTLS_1_3} is {@code -v 4}, {@link
   * DtlsVersion#DTLS_1_2} is {@code -v 3}) with the server credentials of {@code pki}, logging to a
   * file in {@code logDirectory}, plus {@code options} of its own ({@code -e}: echo every record
   * back; {@code -U}: update its keys before it answers). It takes no port 0 over UDP, so a free
   * port is picked first; datagrams sent before it listens are lost and DTLS retransmits them.
   */
  public static ExampleServer start(
      WolfSsl wolf, DtlsVersion version, TestPki pki, Path logDirectory, String... options)
      throws IOException {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path log = Files.createTempFile(logDirectory, "wolfssl-server", ".log");
    // Line-buffered, so what it printed is in the file while it still runs (its stdout is a file,
    // which stdio would otherwise flush only at exit).
    List<String> command =
        new ArrayList<>(
            List.of(
                "stdbuf",
                "-oL",
                wolf.exampleServer().toString(),
                "-u",
                "-v",
                version == DtlsVersion.DTLS_1_3 ? "4" : "3",
                "-p",
                String.valueOf(port),
                "-c",
                pki.certificate().toString(),
                "-k",
                pki.key().toString(),
                "-A",
                pki.ca().toString(),
                "-d"));
    command.addAll(List.of(options));
    java.lang.Process process =
        new ProcessBuilder(command)
            .directory(wolf.sourceTree().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new ExampleServer(process, log, port);
  }

  /** The loopback UDP port it serves. */
  public int port() {
    return port;
  }

  /** What it printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public String toString() {
    return "wolfSSL example server on port " + port + ", output:\n" + output();
  }
}
