package dev.ringway.uring;

/**
 * Flags of a submission queue entry ({@code IOSQE_*}), for {@link Ring#flagLast(int)}, and the
 * per-operation flags the prepare methods accept.
 */
public final class Sqe {
  private Sqe() {}

  /** The fd is an index into the ring's registered files. */
  public static final int FIXED_FILE = 1;

  /** Start only after every earlier entry completed. */
  public static final int IO_DRAIN = 1 << 1;

  /** The next entry starts only after this one succeeds. */
  public static final int IO_LINK = 1 << 2;

  /** Like {@link #IO_LINK}, but the chain continues even when this one fails. */
  public static final int IO_HARDLINK = 1 << 3;

  /** Always run from an io-wq worker instead of trying non-blocking first. */
  public static final int ASYNC = 1 << 4;

  /** Take the buffer from a provided buffer group. */
  public static final int BUFFER_SELECT = 1 << 5;

  /**
   * Post no completion when the operation succeeds. An entry with this flag is no longer counted in
   * {@link Ring#inFlight()}, because a success leaves no trace to count down with.
   */
  public static final int CQE_SKIP_SUCCESS = 1 << 6;

  /** Timeout flag: the time is absolute ({@code CLOCK_MONOTONIC}). */
  public static final int TIMEOUT_ABS = 1;

  /** Timeout flag: complete with 0 instead of {@code -ETIME} when the timer fires. */
  public static final int TIMEOUT_ETIME_SUCCESS = 1 << 5;

  /** Timeout flag: fire repeatedly, posting a completion each time (6.4+). */
  public static final int TIMEOUT_MULTISHOT = 1 << 6;

  /** Poll flag for {@code POLLIN}. */
  public static final int POLLIN = 0x001;

  /** Poll flag for {@code POLLOUT}. */
  public static final int POLLOUT = 0x004;
}
