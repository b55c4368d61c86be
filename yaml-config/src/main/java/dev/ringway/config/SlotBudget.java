package dev.ringway.config;

/**
 * The slot budget: every operation the configuration can keep in flight must fit the completion
 * queue, or completions overflow. The server sizes its rings by these same numbers.
 */
public final class SlotBudget {

  /**
   * Completions reserved for the loop's own work: the always-armed eventfd read, timers and
   * cancels. The server must never keep more than this many control operations in flight.
   */
  public static final int CONTROL_SLOTS = 8;

  private SlotBudget() {}

  /** The kernel gives a ring twice as many completion entries as submission entries. */
  public static int cqEntries(int ringEntries) {
    return 2 * ringEntries;
  }

  /**
   * Completions the configuration can have outstanding at once. UDP: TUN reads, UDP receives, sends
   * and control. TCP: TUN reads, sends, control and two per connection (a receive always armed plus
   * the cancel that may chase it).
   */
  public static int inFlight(Config.Mode mode, Config.Io io) {
    return switch (mode) {
      case UDP -> io.tun().rxSlots() + io.udp().rxSlots() + io.tx().slots() + CONTROL_SLOTS;
      case TCP ->
          io.tun().rxSlots() + io.tx().slots() + CONTROL_SLOTS + 2 * io.tcp().maxConnections();
    };
  }

  /** True when {@code inFlight(mode, io) <= cqEntries(io.ring().entries())}. */
  public static boolean fits(Config.Mode mode, Config.Io io) {
    return inFlight(mode, io) <= cqEntries(io.ring().entries());
  }
}
