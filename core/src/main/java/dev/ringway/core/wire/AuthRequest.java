package dev.ringway.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Client → server: the credentials (digest §2.4). One of four methods, each a record. Secrets are
 * redacted from {@code toString()} so a logged frame never leaks them.
 */
public sealed interface AuthRequest extends Frame {
  /** Longest user name and password of {@link UserPass}, in UTF-8 bytes. */
  int MAX_USER_PASS_BYTES = 50;

  /** Longest {@link Token}: the frame must fit the 1350-byte budget (1 method + 2 length). */
  int MAX_TOKEN_BYTES = 1347;

  /** Longest {@link VersionedToken}: 1350 − 1 method − 2 version − 2 length. */
  int MAX_VERSIONED_TOKEN_BYTES = 1345;

  /** Longest {@link CustomCallback} data. */
  int MAX_CUSTOM_DATA_BYTES = 1347;

  @Override
  default FrameKind kind() {
    return FrameKind.AUTH_REQUEST;
  }

  Method method();

  /** The method byte that starts the body. */
  enum Method {
    USER_PASS(1, "UserPass"),
    TOKEN(2, "Token"),
    VERSIONED_TOKEN(3, "VersionedToken"),
    CUSTOM_CALLBACK(23, "CustomCallback");

    private final int code;
    private final String wireName;

    Method(int code, String wireName) {
      this.code = code;
      this.wireName = wireName;
    }

    public int code() {
      return code;
    }

    public String wireName() {
      return wireName;
    }
  }

  record UserPass(String user, String password) implements AuthRequest {
    public UserPass {
      requireUtf8Length(user, MAX_USER_PASS_BYTES, "user");
      requireUtf8Length(password, MAX_USER_PASS_BYTES, "password");
    }

    @Override
    public Method method() {
      return Method.USER_PASS;
    }

    @Override
    public String toString() {
      return "UserPass[user=" + user + ", password=<redacted>]";
    }
  }

  record Token(String token) implements AuthRequest {
    public Token {
      requireUtf8Length(token, MAX_TOKEN_BYTES, "token");
    }

    @Override
    public Method method() {
      return Method.TOKEN;
    }

    @Override
    public String toString() {
      return "Token[<redacted " + token.length() + " chars>]";
    }
  }

  /** A token plus the protocol version the client wants the tunnel to use from now on. */
  record VersionedToken(ProtocolVersion version, String token) implements AuthRequest {
    public VersionedToken {
      if (!version.isSupported()) {
        throw new IllegalArgumentException("unsupported protocol version " + version);
      }
      requireUtf8Length(token, MAX_VERSIONED_TOKEN_BYTES, "token");
    }

    @Override
    public Method method() {
      return Method.VERSIONED_TOKEN;
    }

    @Override
    public String toString() {
      return "VersionedToken[version=" + version + ", <redacted " + token.length() + " chars>]";
    }
  }

  /** Opaque data for an application-defined check; the stock server denies it. */
  record CustomCallback(byte[] data) implements AuthRequest {
    public CustomCallback {
      Objects.requireNonNull(data);
      Bytes.requireLength(data, MAX_CUSTOM_DATA_BYTES, "custom callback data");
    }

    @Override
    public Method method() {
      return Method.CUSTOM_CALLBACK;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CustomCallback other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "CustomCallback[<" + data.length + " bytes>]";
    }
  }

  private static void requireUtf8Length(String s, int max, String what) {
    int length = s.getBytes(StandardCharsets.UTF_8).length;
    if (length > max) {
      throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes, at most " + max);
    }
  }
}
