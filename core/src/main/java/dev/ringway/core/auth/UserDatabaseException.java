package dev.ringway.core.auth;

/** A user database that cannot be used; the message names the file and, if any, the line. */
public final class UserDatabaseException extends Exception {
  UserDatabaseException(String message) {
    super(message);
  }

  UserDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
