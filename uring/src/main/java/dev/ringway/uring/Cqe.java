package dev.ringway.uring;

/** Flags of a completion queue entry ({@code IORING_CQE_F_*}) and how to read them. */
public final class Cqe {
  private Cqe() {}

  /** The upper 16 bits of the flags hold the id of the provided buffer used. */
  public static final int F_BUFFER = 1;

  /** More completions will follow for this request (multishot, or a zero-copy send). */
  public static final int F_MORE = 1 << 1;

  /** The socket had more data after this receive. */
  public static final int F_SOCK_NONEMPTY = 1 << 2;

  /** A zero-copy send's notification: the kernel no longer uses the buffer. */
  public static final int F_NOTIF = 1 << 3;

  private static final int BUFFER_SHIFT = 16;

  /** Whether a provided buffer was consumed by this completion. */
  public static boolean hasBuffer(int flags) {
    return (flags & F_BUFFER) != 0;
  }

  /** Whether this request stays armed and will complete again. */
  public static boolean hasMore(int flags) {
    return (flags & F_MORE) != 0;
  }

  /** Whether this completion is a zero-copy send's buffer release notification. */
  public static boolean isNotification(int flags) {
    return (flags & F_NOTIF) != 0;
  }

  /** The id of the provided buffer this completion filled; valid only when {@link #hasBuffer}. */
  public static int bufferId(int flags) {
    return flags >>> BUFFER_SHIFT;
  }
}
