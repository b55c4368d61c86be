package dev.ringway.uring;

import java.util.ArrayList;
import java.util.List;

/** Collects completions in tests and waits for them with a deadline. */
final class Completions implements CqeHandler {
  record Completion(long userData, int res, int flags) {
    boolean more() {
      return Cqe.hasMore(flags);
    }
  }

  final List<Completion> seen = new ArrayList<>();

  @Override
  public void handle(long userData, int res, int flags) {
    seen.add(new Completion(userData, res, flags));
  }

  /** Submits, then waits until {@code count} completions have arrived in total, or fails. */
  List<Completion> await(Ring ring, int count) throws LinuxException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    ring.submit();
    while (seen.size() < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("only " + seen.size() + " of " + count + " completions: " + seen);
      }
      ring.submitAndWait(1, 50_000_000L);
      ring.drain(this);
    }
    return seen;
  }

  /** The first completion with {@code userData}. */
  Completion of(long userData) {
    return seen.stream()
        .filter(c -> c.userData() == userData)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no completion for " + userData + ": " + seen));
  }

  /** Every completion with {@code userData}, in order. */
  List<Completion> all(long userData) {
    return seen.stream().filter(c -> c.userData() == userData).toList();
  }

  /** Waits for the completion with {@code userData}. */
  Completion awaitOne(Ring ring, long userData) throws LinuxException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    ring.submit();
    while (seen.stream().noneMatch(c -> c.userData() == userData)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no completion for " + userData + ": " + seen);
      }
      ring.submitAndWait(1, 50_000_000L);
      ring.drain(this);
    }
    return of(userData);
  }

  /** Waits until {@code count} completions with {@code userData} arrived, and returns them. */
  List<Completion> awaitAll(Ring ring, long userData, int count) throws LinuxException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    ring.submit();
    ring.drain(this);
    while (all(userData).size() < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not " + count + " completions for " + userData + ": " + seen);
      }
      ring.submitAndWait(1, 50_000_000L);
      ring.drain(this);
    }
    return all(userData);
  }

  void clear() {
    seen.clear();
  }

  /** Completions that arrived without waiting any further. */
  static List<Completion> now(Ring ring) throws LinuxException {
    Completions completions = new Completions();
    ring.submit();
    ring.drain(completions);
    return completions.seen;
  }
}
