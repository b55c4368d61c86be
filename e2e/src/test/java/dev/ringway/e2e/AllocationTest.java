package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The steady-state data path allocates nothing per packet in Ringway's own code: a JFR recording of
 * the server (and, over TCP, of the client too) under a bulk transfer, its allocation samples
 * attributed to the first non-JDK frame of each stack. What the JDK's SSLEngine allocates per
 * record is reported, not asserted: it is outside our code (see the README's compatibility notes).
 */
@NetnsTest
class AllocationTest {
  private static final long WARM_UP = 40L * 1024 * 1024;
  private static final long MEASURED = 150L * 1024 * 1024;
  private static final int INSIDE_MTU = 1350;

  @Test
  void ringwaysOwnDataPathAllocatesNothingPerPacket() throws Exception {
    Path recording;
    Instant from;
    Instant to;
    try (Topology topology = Topology.create(1)) {
      recording = topology.stateDir.resolveSibling(topology.stateDir.getFileName() + ".jfr");
      Process server = topology.startServer(List.of(flightRecording(recording)));
      topology.awaitOnline(0, topology.startClient(0));

      transfer(topology, 6001, WARM_UP);
      from = Instant.now();
      transfer(topology, 6002, MEASURED);
      to = Instant.now();

      assertThat(server.stop(Duration.ofSeconds(10))).isZero();
    }

    assertOursAllocateNothing("server (udp)", recording, from, to);
  }

  @Test
  void onTheNioEngineTheServersOwnDataPathAllocatesNothingPerPacket() throws Exception {
    Path recording;
    Instant from;
    Instant to;
    try (Topology topology = Topology.create(1)) {
      recording = topology.stateDir.resolveSibling(topology.stateDir.getFileName() + "-nio.jfr");
      Process server = topology.startServer(List.of(flightRecording(recording)), "io.engine=nio");
      topology.awaitOnline(0, topology.startClient(0));

      transfer(topology, 6005, WARM_UP);
      from = Instant.now();
      transfer(topology, 6006, MEASURED);
      to = Instant.now();

      assertThat(server.stop(Duration.ofSeconds(10))).isZero();
    }

    assertOursAllocateNothing("server (udp, nio)", recording, from, to);
  }

  @Test
  void overTcpNeitherTheServerNorTheClientAllocatesPerPacket() throws Exception {
    Path serverRecording;
    Path clientRecording;
    Instant from;
    Instant to;
    try (Topology topology = Topology.createTcp(1)) {
      String name = topology.stateDir.getFileName().toString();
      serverRecording = topology.stateDir.resolveSibling(name + "-server.jfr");
      clientRecording = topology.stateDir.resolveSibling(name + "-client.jfr");
      Process server = topology.startServer(List.of(flightRecording(serverRecording)));
      Process client = topology.startClient(0, List.of(flightRecording(clientRecording)));
      topology.awaitOnline(0, client);

      transfer(topology, 6003, WARM_UP);
      from = Instant.now();
      transfer(topology, 6004, MEASURED);
      to = Instant.now();

      assertThat(client.stop(Duration.ofSeconds(10))).isZero();
      assertThat(server.stop(Duration.ofSeconds(10))).isZero();
    }

    assertOursAllocateNothing("server (tcp)", serverRecording, from, to);
    assertOursAllocateNothing("client (tcp)", clientRecording, from, to);
  }

  private static String flightRecording(Path file) {
    return "-XX:StartFlightRecording=filename=" + file + ",settings=profile";
  }

  /**
   * Reads {@code recording}, prints the allocation per inside packet between {@code from} and
   * {@code to} by source, and asserts Ringway's own share is below a byte per packet.
   */
  private static void assertOursAllocateNothing(
      String who, Path recording, Instant from, Instant to) throws Exception {
    Map<String, Long> bytesBySource = new TreeMap<>();
    Map<String, Long> oursBySite = new TreeMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (event.getEventType().getName().equals("jdk.ObjectAllocationSample")
          && !event.getStartTime().isBefore(from)
          && !event.getStartTime().isAfter(to)) {
        String source = source(event);
        bytesBySource.merge(source, event.getLong("weight"), Long::sum);
        if (source.equals("ringway")) {
          oursBySite.merge(site(event), event.getLong("weight"), Long::sum);
        }
      }
    }
    Files.deleteIfExists(recording);

    long packets = MEASURED / INSIDE_MTU;
    System.out.printf("%s: allocation per inside packet during the transfer (bytes):%n", who);
    bytesBySource.forEach((k, v) -> System.out.printf("  %-60s %8.1f%n", k, (double) v / packets));
    oursBySite.forEach(
        (k, v) -> System.out.printf("  ringway at %-80s %8.1f%n", k, (double) v / packets));
    long ours = bytesBySource.getOrDefault("ringway", 0L);
    assertThat((double) ours / packets)
        .as(who + ": bytes Ringway's own code allocates per packet, by source: " + bytesBySource)
        .isLessThan(1.0);
  }

  /**
   * Who allocated: "sslengine" when the JDK's TLS code is on the stack, "ringway" when the first
   * frame outside the JDK is ours, otherwise that frame's class.
   */
  private static String source(RecordedEvent event) {
    if (event.getStackTrace() == null) {
      return "unknown";
    }
    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("sun.security.ssl.") || type.startsWith("com.sun.crypto.")) {
        return "sslengine";
      }
      if (type.startsWith("jdk.internal.foreign.")) {
        // The FFM linker's downcall path (the errno capture segment), not our code; reported.
        return "ffm-downcall";
      }
      if (type.startsWith("java.")
          || type.startsWith("javax.")
          || type.startsWith("jdk.")
          || type.startsWith("sun.")) {
        continue;
      }
      return type.startsWith("dev.ringway.") ? "ringway" : type;
    }
    return "jdk";
  }

  /** The allocated class and the first Ringway frame that led to it. */
  private static String site(RecordedEvent event) {
    String allocated = event.getClass("objectClass").getName();
    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("dev.ringway.")) {
        return allocated
            + " <- "
            + type
            + "."
            + frame.getMethod().getName()
            + ":"
            + frame.getLineNumber();
      }
    }
    return allocated;
  }

  private static void transfer(Topology topology, int port, long bytes) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    CompletableFuture<Transfer.Digest> received =
        Transfer.sink(topology.server, Topology.SERVER_INSIDE, port, listening);
    listening.get(10, TimeUnit.SECONDS);
    Transfer.Digest sent =
        Transfer.source(topology.clients.get(0), Topology.SERVER_INSIDE, port, bytes)
            .get(180, TimeUnit.SECONDS);
    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
  }
}
