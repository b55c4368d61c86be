package dev.ringway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.testkit.KernelTest;
import dev.ringway.testkit.NetnsTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code io.engine} where io_uring is forbidden for real: {@code kernel.io_uring_disabled = 1} and
 * a server that runs as root but with CAP_NET_ADMIN as its only capability (enough for its TUN
 * device, not for io_uring). {@code auto} falls back to nio with a warning naming the cause and the
 * tunnel works, in UDP and in TCP mode; {@code uring} refuses to start saying what to change.
 */
@NetnsTest
@KernelTest
class EngineFallbackTest {
  private static final List<String> ONLY_NET_ADMIN =
      List.of(
          "setpriv",
          "--inh-caps=-all,+net_admin",
          "--ambient-caps=-all,+net_admin",
          "--bounding-set=-all,+net_admin",
          "--");
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  @Test
  void autoFallsBackToNioWithAWarningNamingTheCauseAndTheTunnelWorks() throws Exception {
    try (Topology topology = Topology.create(1)) {
      Process server;
      try (IoUringSwitch off = IoUringSwitch.disableForUnprivileged()) {
        server =
            topology.awaitListening(
                topology.launchServer(ONLY_NET_ADMIN, List.of(), "io.engine=auto"));
      }

      assertThat(server.output())
          .containsPattern(
              "WARN .*io_uring is unavailable \\(EPERM\\), running on the nio engine instead.*"
                  + "kernel\\.io_uring_disabled")
          .contains("(nio engine)");
      topology.awaitOnline(0, topology.startClient(0));
      assertThat(topology.ping(0, 10).output()).contains("10 received", " 0% packet loss");
    }
  }

  @Test
  void uringRefusesToStartAndSaysWhatToChange() throws Exception {
    try (Topology topology = Topology.create(0)) {
      int exit;
      Process server;
      try (IoUringSwitch off = IoUringSwitch.disableForUnprivileged()) {
        server = topology.launchServer(ONLY_NET_ADMIN, List.of(), "io.engine=uring");
        exit = server.awaitExit(EXIT_LIMIT);
      }

      assertThat(exit).as(server.toString()).isEqualTo(1);
      assertThat(server.output())
          .contains("io_uring is not permitted here (EPERM)")
          .contains("kernel.io_uring_disabled");
    }
  }

  @Test
  void autoInTcpModeFallsBackToNioAndTheTcpTunnelWorks() throws Exception {
    try (Topology topology = Topology.createTcp(1)) {
      Process server;
      try (IoUringSwitch off = IoUringSwitch.disableForUnprivileged()) {
        server =
            topology.awaitListening(
                topology.launchServer(ONLY_NET_ADMIN, List.of(), "io.engine=auto"));
      }

      assertThat(server.output())
          .containsPattern(
              "WARN .*io_uring is unavailable \\(EPERM\\), running on the nio engine instead.*"
                  + "kernel\\.io_uring_disabled")
          .contains(" on tcp ")
          .contains("(nio engine)");
      topology.awaitOnline(0, topology.startClient(0));
      assertThat(topology.ping(0, 10).output()).contains("10 received", " 0% packet loss");
    }
  }
}
