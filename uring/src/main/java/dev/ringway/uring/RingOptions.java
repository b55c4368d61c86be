package dev.ringway.uring;

import java.util.EnumSet;
import java.util.Set;

/**
 * How to set up a {@link Ring}.
 *
 * @param entries submission queue entries (rounded up to a power of two by the kernel)
 * @param cqEntries completion queue entries, or 0 for the kernel's default of twice {@code
 *     entries}; a non-zero value implies {@link SetupFlag#CQSIZE}
 * @param flags setup flags
 * @param sqpollIdleMillis how long the SQPOLL thread spins idle before it sleeps; used only with
 *     {@link SetupFlag#SQPOLL}
 * @param registerRingFd register the ring's own fd so each {@code io_uring_enter} skips the fd
 *     table lookup; the registration belongs to the owner thread
 */
public record RingOptions(
    int entries,
    int cqEntries,
    Set<SetupFlag> flags,
    int sqpollIdleMillis,
    boolean registerRingFd) {

  public RingOptions {
    if (entries <= 0) {
      throw new IllegalArgumentException("entries must be positive, got " + entries);
    }
    if (cqEntries < 0) {
      throw new IllegalArgumentException("cqEntries must be 0 or positive, got " + cqEntries);
    }
    flags = Set.copyOf(flags);
    if (flags.contains(SetupFlag.DEFER_TASKRUN) && !flags.contains(SetupFlag.SINGLE_ISSUER)) {
      throw new IllegalArgumentException("DEFER_TASKRUN needs SINGLE_ISSUER");
    }
    if (flags.contains(SetupFlag.SQPOLL)
        && (flags.contains(SetupFlag.DEFER_TASKRUN) || flags.contains(SetupFlag.COOP_TASKRUN))) {
      throw new IllegalArgumentException("SQPOLL cannot be combined with DEFER_/COOP_TASKRUN");
    }
  }

  /** {@code entries} submission entries, no flags, ring fd not registered. */
  public static RingOptions of(int entries) {
    return new RingOptions(entries, 0, Set.of(), 0, false);
  }

  /**
   * The loop's choice without SQPOLL: {@code SINGLE_ISSUER | DEFER_TASKRUN | SUBMIT_ALL}, with the
   * ring fd registered. Completion work then runs only when the owner waits, and the ring can be
   * resized live.
   */
  public static RingOptions singleIssuer(int entries) {
    return new RingOptions(
        entries,
        0,
        EnumSet.of(SetupFlag.SINGLE_ISSUER, SetupFlag.DEFER_TASKRUN, SetupFlag.SUBMIT_ALL),
        0,
        true);
  }

  public RingOptions withEntries(int entries) {
    return new RingOptions(entries, cqEntries, flags, sqpollIdleMillis, registerRingFd);
  }

  public RingOptions withCqEntries(int cqEntries) {
    return new RingOptions(entries, cqEntries, flags, sqpollIdleMillis, registerRingFd);
  }

  public RingOptions withFlags(SetupFlag... added) {
    EnumSet<SetupFlag> all = EnumSet.noneOf(SetupFlag.class);
    all.addAll(flags);
    all.addAll(Set.of(added));
    return new RingOptions(entries, cqEntries, all, sqpollIdleMillis, registerRingFd);
  }

  /** SQPOLL with the given idle time. */
  public RingOptions withSqpoll(int idleMillis) {
    return withFlags(SetupFlag.SQPOLL).withSqpollIdle(idleMillis);
  }

  private RingOptions withSqpollIdle(int idleMillis) {
    return new RingOptions(entries, cqEntries, flags, idleMillis, registerRingFd);
  }

  public RingOptions withRegisteredRingFd(boolean register) {
    return new RingOptions(entries, cqEntries, flags, sqpollIdleMillis, register);
  }

  int setupBits() {
    return SetupFlag.bits(flags) | (cqEntries > 0 ? SetupFlag.CQSIZE.bit() : 0);
  }
}
