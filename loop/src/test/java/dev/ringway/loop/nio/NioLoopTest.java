package dev.ringway.loop.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringway.loop.LoopSnapshot;
import dev.ringway.loop.PathName;
import dev.ringway.loop.TxPool;
import dev.ringway.testkit.Await;
import dev.ringway.testkit.LoopThread;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The nio loop's own machinery: commands from other threads, ticks, snapshots and stopping. */
class NioLoopTest {
  private NioLoop loop;
  private LoopThread thread;
  private DatagramChannel channel;
  private final AtomicInteger ticks = new AtomicInteger();
  private final List<LoopSnapshot> snapshots = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    loop = new NioLoop(5_000_000L, 20_000_000L);
    loop.onTick(now -> ticks.incrementAndGet());
    loop.onSnapshot(snapshots::add);
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    new NioUdpSource(channel, new TxPool(4), (view, length, sender, localIpv4) -> {})
        .registerOn(loop);
    thread = LoopThread.start("test-nio-loop", loop::run, loop.started(), loop::stop);
  }

  @AfterEach
  void stop() throws Exception {
    thread.close();
  }

  @Test
  void commandsFromManyThreadsRunOnTheLoopInEachSendersOrder() throws Exception {
    List<int[]> ran = new ArrayList<>(); // touched only on the loop thread
    List<CompletableFuture<Boolean>> onLoop = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      int sender = s;
      senders.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; i < 500; i++) {
                  int sequence = i;
                  onLoop.add(
                      loop.call(() -> {
                        ran.add(new int[] {sender, sequence});
                        return loop.inLoop();
                      }));
                }
              }));
    }
    for (Thread sender : senders) {
      sender.join(10_000);
    }

    for (CompletableFuture<Boolean> result : onLoop) {
      assertThat(result.get(5, TimeUnit.SECONDS)).isTrue();
    }
    List<int[]> seen = loop.call(() -> new ArrayList<>(ran)).get(5, TimeUnit.SECONDS);
    assertThat(seen).hasSize(2000);
    int[] last = {-1, -1, -1, -1};
    for (int[] command : seen) {
      assertThat(command[1]).isGreaterThan(last[command[0]]);
      last[command[0]] = command[1];
    }
  }

  @Test
  void aFailingCommandFailsItsFutureAndTheLoopGoesOn() throws Exception {
    CompletableFuture<Object> failed =
        loop.call(() -> {
          throw new IllegalStateException("refused");
        });

    assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("refused");
    assertThat(loop.call(() -> "still running").get(5, TimeUnit.SECONDS))
        .isEqualTo("still running");
  }

  @Test
  void ticksKeepComingAndSnapshotsCarryNoRingFigures() {
    Await.until("ten ticks", Duration.ofSeconds(10), () -> ticks.get() >= 10);
    Await.until("three snapshots", Duration.ofSeconds(10), () -> snapshots.size() >= 3);

    LoopSnapshot newest = snapshots.getLast();
    assertThat(loop.snapshot().monotonicNanos()).isGreaterThanOrEqualTo(newest.monotonicNanos());
    assertThat(newest.ring().entries()).isZero();
    assertThat(newest.ring().enters()).isZero();
    assertThat(newest.paths()).hasSize(PathName.values().length);
    assertThat(loop.engine()).isEqualTo("nio");
  }

  @Test
  void stoppingEndsTheLoopAndClosesItsSources() throws Exception {
    thread.close();
    assertThat(channel.isOpen()).isFalse();
  }
}
