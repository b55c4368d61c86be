package dev.ringway.uring;

import java.io.IOException;

/**
 * A Linux call failed. The one exception type of this module: it carries the errno number, its
 * symbolic name ({@code EAGAIN}, {@code EPERM} …), the C library's description of it and the
 * operation that failed, so a message reads {@code io_uring_setup: EPERM (Operation not
 * permitted)}.
 *
 * <p>It is checked ({@link IOException}) because every such failure is a fact about the machine the
 * caller must decide about, not a programming error.
 */
public final class LinuxException extends IOException {
  private final int errno;
  private final String operation;

  /** A failure of {@code operation} with {@code errno} (positive, or a negative CQE result). */
  public LinuxException(int errno, String operation) {
    super(operation + ": " + Errno.name(errno) + " (" + Errno.describe(Math.abs(errno)) + ")");
    this.errno = Math.abs(errno);
    this.operation = operation;
  }

  /** The errno number, positive. */
  public int errno() {
    return errno;
  }

  /** The symbolic name of the errno, such as {@code EAGAIN}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The C library's description of the errno ({@code strerror}). */
  public String description() {
    return Errno.describe(errno);
  }

  /** The operation that failed, such as {@code io_uring_enter} or {@code bind 0.0.0.0:27690}. */
  public String operation() {
    return operation;
  }
}
