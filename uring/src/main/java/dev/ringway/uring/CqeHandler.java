package dev.ringway.uring;

/**
 * Receives completions from {@link Ring#drain(CqeHandler)}. Implemented once by the loop (not a
 * lambda per batch), it sees each completion's three fields as primitives, so draining allocates
 * nothing. The handler may prepare new entries on the same ring.
 */
@FunctionalInterface
public interface CqeHandler {
  /**
   * One completion.
   *
   * @param userData the value given when the operation was prepared
   * @param res the result: a byte count or descriptor when non-negative, {@code -errno} otherwise
   * @param flags {@link Cqe} flags
   */
  void handle(long userData, int res, int flags);
}
