package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.Config;
import dev.ringway.loop.DataPlane;
import dev.ringway.loop.DatagramSender;
import dev.ringway.loop.Loop;
import dev.ringway.loop.PathName;
import dev.ringway.loop.nio.NioEngine;
import dev.ringway.server.Engines;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retuner on the nio engine's data plane with a real UDP socket: what nio can change changes
 * now (through the knobs the engine offers), the io_uring-only tunables are validated and recorded
 * but said to wait for the uring engine.
 */
class NioRetunerTest {
  private DataPlane plane;
  private Loop loop;
  private DatagramSender udp;
  private Thread thread;
  private Retuner retuner;

  @BeforeEach
  void start() throws Exception {
    plane = new NioEngine().open(Engines.settings(Config.defaults(), 50_000_000L));
    loop = plane.loop();
    udp =
        plane.bind(new InetSocketAddress("127.0.0.1", 0), (view, length, sender, localIpv4) -> {});
    thread = plane.start("test-nio-loop");
    retuner = new Retuner(new LiveIo(loop, plane.knobs()), Config.defaults());
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
    thread.join(3000);
  }

  @Test
  void socketBufferAndTxSlotsApplyAtOnce() throws Exception {
    // The data plane opened the socket with the configured (large) buffer; the change shrinks it.
    assertThat(loop.call(udp::receiveBuffer).get(5, TimeUnit.SECONDS)).isGreaterThan(256 * 1024);

    Retuner.Outcome outcome =
        retuner.apply(Map.of("io.udp.socketBuffer", "64KiB", "io.tx.slots", "128"));

    assertThat(outcome).isInstanceOf(Retuner.Applied.class);
    assertThat(outcome.render()).doesNotContain("recorded only");
    assertThat(loop.call(udp::receiveBuffer).get(5, TimeUnit.SECONDS)).isEqualTo(64 * 1024);
    assertThat(loop.call(() -> plane.txPool().size()).get(5, TimeUnit.SECONDS)).isEqualTo(128);
    assertThat(loop.call(() -> loop.counters(PathName.UDP_TX).slots()).get(5, TimeUnit.SECONDS))
        .isEqualTo(128);
  }

  @Test
  void ringAndSlotTunablesAreRecordedAndSaidToWaitForTheUringEngine() {
    Retuner.Outcome outcome =
        retuner.apply(
            Map.of(
                "io.ring.entries", "2048",
                "io.tun.rxSlots", "16",
                "io.tun.blocking", "true",
                "io.udp.rxSlots", "8"));

    assertThat(outcome).isInstanceOf(Retuner.Applied.class);
    assertThat(outcome.render())
        .contains(
            "io.tun.rxSlots, io.tun.blocking, io.udp.rxSlots, io.ring.* recorded only, they take"
                + " effect on the uring engine");
    assertThat(retuner.current().io().ring().entries()).isEqualTo(2048);
    assertThat(retuner.current().io().tun().blocking()).isTrue();
  }

  @Test
  void aValueBreakingARuleIsRefusedOnNioToo() {
    Retuner.Outcome outcome = retuner.apply(Map.of("io.tun.rxSlots", "0"));

    assertThat(outcome).isInstanceOf(Retuner.Refused.class);
    assertThat(retuner.current()).isEqualTo(Config.defaults());
  }
}
