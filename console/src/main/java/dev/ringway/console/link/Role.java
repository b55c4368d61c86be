package dev.ringway.console.link;

/** What the logged-in user may do, as the server's {@code jmx.users} roles say. */
public enum Role {
  /** Reads everything, changes nothing. */
  MONITOR,
  /** Also retunes and disconnects clients. */
  OPERATOR;

  /** Whether this role may apply tunables and disconnect clients. */
  public boolean mayChange() {
    return this == OPERATOR;
  }
}
