package dev.ringway.client;

/**
 * The client could not run: a missing capability (its message says what is missing and how to
 * provide it), a socket that cannot be set up, or a loop that failed.
 */
public final class ClientFailure extends Exception {
  public ClientFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
