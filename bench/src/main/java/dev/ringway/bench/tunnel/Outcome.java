package dev.ringway.bench.tunnel;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** What one row of the tunnel benchmark came to: measurements, or why there are none. */
sealed interface Outcome {
  Row row();

  /**
   * Every measurement of a row. CPU figures are CPU-seconds of the tunnel's own process per GB
   * (10^9 bytes) moved in both TCP runs; empty for a side without a process. Notes say what
   * happened on the way (e.g. a round that failed).
   */
  record Measured(
      Row row,
      Iperf.Tcp upload,
      Iperf.Tcp download,
      Iperf.Udp udp,
      Rtt idle,
      Rtt loaded,
      OptionalDouble serverCpuPerGb,
      OptionalDouble clientCpuPerGb,
      List<String> notes,
      Optional<String> profile)
      implements Outcome {}

  /** The row could not be set up or measured. */
  record Failed(Row row, String reason) implements Outcome {}
}
