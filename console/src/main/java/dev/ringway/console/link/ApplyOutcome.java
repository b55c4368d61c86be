package dev.ringway.console.link;

/** What the server answered to one {@code Tunables.apply}. */
public sealed interface ApplyOutcome {
  /** The server's words, verbatim. */
  String message();

  /** The change landed (or there was nothing to change). */
  record Applied(String message) implements ApplyOutcome {}

  /** The server refused or failed the change and changed nothing. */
  record Refused(String message) implements ApplyOutcome {}

  /** This login may not change anything (role {@code monitor}). */
  record Denied(String message) implements ApplyOutcome {}
}
