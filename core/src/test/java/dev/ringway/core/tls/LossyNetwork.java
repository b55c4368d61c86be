package dev.ringway.core.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * A deterministic datagram network between two {@link Peer}s in virtual time: each datagram in
 * flight may be dropped, duplicated or delivered out of order, decided by a seeded random source.
 * When nothing is in flight the clock jumps to the earliest retransmission deadline.
 */
final class LossyNetwork {
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final Random random;
  private final double drop;
  private final double duplicate;
  private final double reorder;
  int dropped;
  int duplicated;
  int reordered;

  LossyNetwork(long seed, double drop, double duplicate, double reorder) {
    this.random = new Random(seed);
    this.drop = drop;
    this.duplicate = duplicate;
    this.reorder = reorder;
  }

  static LossyNetwork perfect() {
    return new LossyNetwork(0, 0, 0, 0);
  }

  /** Delivers one round of datagrams each way; true when anything was in flight. */
  boolean deliverRound(Peer a, Peer b) throws SSLException {
    boolean any = !a.outbox.isEmpty() || !b.outbox.isEmpty();
    deliver(a, b);
    deliver(b, a);
    a.runTasks();
    b.runTasks();
    return any;
  }

  /** Runs rounds (and timers when idle) until {@code done} holds; fails after many steps. */
  void runUntil(Peer a, Peer b, java.util.function.BooleanSupplier done) throws SSLException {
    for (int step = 0; step < 10_000; step++) {
      if (done.getAsBoolean()) {
        return;
      }
      if (!deliverRound(a, b)) {
        long next = Math.min(a.session.nextDeadlineNanos(), b.session.nextDeadlineNanos());
        if (next == Long.MAX_VALUE) {
          throw new AssertionError("stalled: nothing in flight and no timer armed");
        }
        clock.set(Math.max(clock.get(), next));
        a.session.onTimer(a);
        b.session.onTimer(b);
      }
    }
    throw new AssertionError("did not converge");
  }

  private void deliver(Peer from, Peer to) throws SSLException {
    List<byte[]> batch = new ArrayList<>(from.outbox);
    from.outbox.clear();
    List<byte[]> arriving = new ArrayList<>();
    for (byte[] datagram : batch) {
      if (random.nextDouble() < drop) {
        dropped++;
        continue;
      }
      arriving.add(datagram);
      if (random.nextDouble() < duplicate) {
        duplicated++;
        arriving.add(datagram.clone());
      }
    }
    for (int i = 0; i + 1 < arriving.size(); i++) {
      if (random.nextDouble() < reorder) {
        reordered++;
        byte[] swap = arriving.get(i);
        arriving.set(i, arriving.get(i + 1));
        arriving.set(i + 1, swap);
      }
    }
    for (byte[] datagram : arriving) {
      to.receive(datagram);
    }
  }
}
