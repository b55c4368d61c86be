package dev.ringway.core.dtls;

/** A failure of a DTLS session, carrying the TLS alert description that was (or would be) sent. */
public final class DtlsException extends Exception {
  private final int alert;

  DtlsException(int alert, String message) {
    super(message);
    this.alert = alert;
  }

  DtlsException(int alert, String message, Throwable cause) {
    super(message, cause);
    this.alert = alert;
  }

  /** The alert description (RFC 8446 §6), e.g. {@link Alert#DECRYPT_ERROR}. */
  public int alert() {
    return alert;
  }
}
