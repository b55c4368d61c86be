package dev.ringway.console.link;

import java.time.Duration;

/** Where the link to the server stands; the console's banner shows it. */
public sealed interface LinkState {
  /** One line for the banner. */
  String describe();

  /** The first connection attempt is under way. */
  record Connecting(String address) implements LinkState {
    @Override
    public String describe() {
      return "connecting to " + address + " …";
    }
  }

  /**
   * Connected and polling.
   *
   * @param role what this login may do; a monitor's console is read-only
   * @param roleReason how the role was found, shown beside a read-only console
   */
  record Connected(String address, String version, Role role, String roleReason)
      implements LinkState {
    @Override
    public String describe() {
      return "connected to "
          + address
          + " (Ringway "
          + version
          + ", "
          + role.name().toLowerCase()
          + ")";
    }
  }

  /** The server went away; the link tries again after {@code retryIn}. */
  record Reconnecting(String address, String cause, int attempt, Duration retryIn)
      implements LinkState {
    @Override
    public String describe() {
      return "reconnecting to "
          + address
          + " (attempt "
          + attempt
          + ", next in "
          + retryIn.toMillis()
          + " ms): "
          + cause;
    }
  }

  /** Given up: the first connection failed or the login was refused. */
  record Failed(String address, String cause) implements LinkState {
    @Override
    public String describe() {
      return "failed to connect to " + address + ": " + cause;
    }
  }

  /** Closed by the operator. */
  record Closed() implements LinkState {
    @Override
    public String describe() {
      return "disconnected";
    }
  }
}
