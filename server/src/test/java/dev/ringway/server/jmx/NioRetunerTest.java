package dev.ringway.server.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringway.config.Config;
import dev.ringway.loop.NioLoop;
import dev.ringway.loop.NioUdpSource;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retuner on the nio engine, with a real UDP channel: what nio can change changes now, the
 * io_uring-only tunables are validated and recorded but said to wait for the uring engine.
 */
class NioRetunerTest {
  private NioLoop loop;
  private Thread thread;
  private DatagramChannel channel;
  private TxPool txPool;
  private Retuner retuner;

  @BeforeEach
  void start() throws Exception {
    loop = new NioLoop(50_000_000L, 1_000_000_000L);
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    txPool = new TxPool(Config.defaults().io().tx().slots());
    NioUdpSource udp = new NioUdpSource(channel, txPool, (view, length, sender) -> {});
    udp.registerOn(loop);
    thread =
        Thread.ofPlatform()
            .name("test-nio-loop")
            .start(() -> {
              try {
                loop.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    loop.started().get(5, TimeUnit.SECONDS);
    retuner = new Retuner(new LiveIo(loop, null, txPool, udp, null), Config.defaults());
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
    thread.join(3000);
  }

  @Test
  void socketBufferAndTxSlotsApplyAtOnce() throws Exception {
    assertThat(channel.getOption(StandardSocketOptions.SO_RCVBUF)).isLessThan(1024 * 1024);

    Retuner.Outcome outcome =
        retuner.apply(Map.of("io.udp.socketBuffer", "1MiB", "io.tx.slots", "128"));

    assertThat(outcome).isInstanceOf(Retuner.Applied.class);
    assertThat(outcome.render()).doesNotContain("recorded only");
    assertThat(channel.getOption(StandardSocketOptions.SO_RCVBUF))
        .isGreaterThanOrEqualTo(1024 * 1024);
    assertThat(loop.call(() -> txPool.size()).get(5, TimeUnit.SECONDS)).isEqualTo(128);
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
