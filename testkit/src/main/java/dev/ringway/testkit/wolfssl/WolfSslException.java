package dev.ringway.testkit.wolfssl;

/** A wolfSSL call failed: its error code and wolfSSL's own text for it. */
public final class WolfSslException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  WolfSslException(String call, int code, String text, Throwable cause) {
    super(call + " failed: " + text + " (" + code + ")", cause);
    this.code = code;
  }

  /** wolfSSL's error code ({@code wolfSSL_get_error}, or the call's own result). */
  public int code() {
    return code;
  }
}
