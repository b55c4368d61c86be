package dev.ringway.bench.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringway.testkit.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** iperf3 runs from the client's namespace to the upstream server, read from iperf3's JSON. */
final class Iperf {
  /** iperf3's UDP payload size for the packet-rate test. */
  static final int DATAGRAM_BYTES = 1400;

  /** The UDP test's offered rate, in iperf3's notation. */
  static final String UDP_OFFERED = "1G";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Iperf() {}

  /** A TCP run: the receiver's rate, and every byte the receiver got. */
  record Tcp(double gbitPerSecond, long bytes) {}

  /** A UDP run: datagrams the receiver got per second, and the share lost. */
  record Udp(double deliveredPerSecond, double lossPercent) {}

  /** One TCP stream for {@code seconds}; {@code download} reverses it (upstream sends). */
  static Tcp tcp(BenchNetwork network, int seconds, boolean download) {
    List<String> args = new ArrayList<>(List.of("--time", Integer.toString(seconds)));
    if (download) {
      args.add("--reverse");
    }
    JsonNode received = run(network, seconds, args).path("end").path("sum_received");
    long bytes = received.path("bytes").asLong();
    if (bytes == 0) {
      throw new MeasurementException(
          "the TCP "
              + (download ? "download" : "upload")
              + " moved no data in "
              + seconds
              + " s: the tunnel stalled");
    }
    return new Tcp(received.path("bits_per_second").asDouble() / 1e9, bytes);
  }

  /**
   * UDP at 1400-byte datagrams offered at {@link #UDP_OFFERED} (about 89,000 datagrams/s): more
   * than any tunnel here carries, so the tunnel decides how many arrive, while the sender does not
   * take a whole core from the tunnel on a two-core machine as an unlimited rate would. Plain
   * routing is capped by it.
   */
  static Udp udp(BenchNetwork network, int seconds) {
    List<String> args =
        List.of(
            "--udp",
            "--length",
            Integer.toString(DATAGRAM_BYTES),
            "--bitrate",
            UDP_OFFERED,
            "--time",
            Integer.toString(seconds));
    JsonNode received = run(network, seconds, args).path("end").path("sum_received");
    long delivered = received.path("packets").asLong() - received.path("lost_packets").asLong();
    return new Udp(
        delivered / received.path("seconds").asDouble(), received.path("lost_percent").asDouble());
  }

  private static JsonNode run(BenchNetwork network, int seconds, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "iperf3",
                "--client",
                BenchNetwork.UPSTREAM,
                "--json",
                "--connect-timeout",
                "5000"));
    command.addAll(args);
    Commands.Result result = network.inClient(Duration.ofSeconds(seconds + 30L), command);
    // Warnings (e.g. that a datagram exceeds the MSS) come on stderr, merged before the JSON.
    String output = result.output();
    int start = output.startsWith("{") ? 0 : output.indexOf("\n{") + 1;
    JsonNode json;
    try {
      json = JSON.readTree(output.substring(start));
    } catch (Exception e) {
      String shown = output.strip();
      throw new MeasurementException(
          "iperf3 "
              + String.join(" ", args)
              + " gave no JSON (exit "
              + result.exitCode()
              + "): "
              + shown.substring(0, Math.min(shown.length(), 500))
              + network.iperfServerTrouble());
    }
    if (json.hasNonNull("error") || result.exitCode() != 0) {
      throw new MeasurementException(
          "iperf3 "
              + String.join(" ", args)
              + " failed: "
              + json.path("error").asText("exit " + result.exitCode()));
    }
    return json;
  }
}
