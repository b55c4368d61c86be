package dev.ringway.bench.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Round-trip times come from ping's own output lines, percentiles by nearest rank. */
class RttTest {

  @Test
  void readsEveryReplyAndTheTransmittedCount() {
    String output =
        """
        PING 198.51.100.2 (198.51.100.2) 56(84) bytes of data.
        64 bytes from 198.51.100.2: icmp_seq=1 ttl=63 time=0.310 ms
        64 bytes from 198.51.100.2: icmp_seq=2 ttl=63 time=0.120 ms
        64 bytes from 198.51.100.2: icmp_seq=4 ttl=63 time=4.50 ms

        --- 198.51.100.2 ping statistics ---
        4 packets transmitted, 3 received, 25% packet loss, time 61ms
        rtt min/avg/max/mdev = 0.120/1.643/4.500/2.018 ms
        """;

    Rtt rtt = Rtt.parse(output);

    assertThat(rtt).isEqualTo(new Rtt(0.310, 4.50, 3, 4));
  }

  @Test
  void nearestRankPercentiles() {
    double[] sorted = new double[100];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }

    assertThat(Rtt.percentile(sorted, 50)).isEqualTo(50);
    assertThat(Rtt.percentile(sorted, 99)).isEqualTo(99);
    assertThat(Rtt.percentile(new double[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void noReplyIsAMeasurementFailureNotAZero() {
    assertThatThrownBy(() -> Rtt.parse("4 packets transmitted, 0 received, 100% packet loss"))
        .isInstanceOf(MeasurementException.class)
        .hasMessageContaining("no ping replies");
  }
}
