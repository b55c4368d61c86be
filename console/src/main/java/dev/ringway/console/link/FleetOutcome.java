package dev.ringway.console.link;

/** What one server of a fleet made of one tuning change, all-or-nothing on that server. */
public sealed interface FleetOutcome {
  /** One line for the table: the outcome's word and the words behind it. */
  String describe();

  /** The server applied the change; {@code message} is its answer, verbatim. */
  record Applied(String message) implements FleetOutcome {
    @Override
    public String describe() {
      return "applied: " + message;
    }
  }

  /**
   * Not applied: the server refused it, or the yaml-config rules (the server's own) failed it
   * against this server's live values before it was sent ({@code sent} false).
   */
  record Refused(String message, boolean sent) implements FleetOutcome {
    @Override
    public String describe() {
      return (sent ? "refused by the server: " : "refused (checked here, not sent): ") + message;
    }
  }

  /** This login may not change anything on the server (role {@code monitor}). */
  record Denied(String message) implements FleetOutcome {
    @Override
    public String describe() {
      return "denied: " + message;
    }
  }

  /** The server could not be reached, so nothing was sent or nothing is known to have landed. */
  record Unreachable(String cause) implements FleetOutcome {
    @Override
    public String describe() {
      return "unreachable: " + cause;
    }
  }
}
