package dev.ringway.uring;

import java.util.EnumSet;
import java.util.Set;

/** Flags of {@code io_uring_setup} ({@code IORING_SETUP_*}) that {@link Ring} knows how to use. */
public enum SetupFlag {
  /** A kernel thread polls the submission queue; no syscall per submission while it is awake. */
  SQPOLL(1 << 1),
  /** The completion queue size is given rather than twice the submission queue. */
  CQSIZE(1 << 3),
  /** Sizes above the kernel's maximum are clamped instead of rejected. */
  CLAMP(1 << 4),
  /** The ring starts disabled and is enabled by {@link Ring#enable()} on its owner thread. */
  R_DISABLED(1 << 6),
  /** Keep submitting a batch when one entry fails. */
  SUBMIT_ALL(1 << 7),
  /** Run completion work only when the task enters the kernel, not by interrupting it. */
  COOP_TASKRUN(1 << 8),
  /** Only one thread ever submits. */
  SINGLE_ISSUER(1 << 12),
  /** Run completion work only when the owner waits for completions (needs SINGLE_ISSUER). */
  DEFER_TASKRUN(1 << 13),
  /** No indirection array between the ring and the entries (6.6+). */
  NO_SQARRAY(1 << 16);

  private final int bit;

  SetupFlag(int bit) {
    this.bit = bit;
  }

  /** The flag's bit in {@code io_uring_params.flags}. */
  public int bit() {
    return bit;
  }

  static int bits(Set<SetupFlag> flags) {
    int bits = 0;
    for (SetupFlag flag : flags) {
      bits |= flag.bit;
    }
    return bits;
  }

  static Set<SetupFlag> of(int bits) {
    EnumSet<SetupFlag> set = EnumSet.noneOf(SetupFlag.class);
    for (SetupFlag flag : values()) {
      if ((bits & flag.bit) != 0) {
        set.add(flag);
      }
    }
    return set;
  }
}
