package dev.ringway.core.wire;

import java.util.random.RandomGenerator;

/** Random valid frames of every kind, for property tests with a fixed seed. */
final class RandomFrames {
  private final RandomGenerator random;

  RandomFrames(RandomGenerator random) {
    this.random = random;
  }

  Frame of(FrameKind kind) {
    return switch (kind) {
      case NO_OP -> NoOp.INSTANCE;
      case GOODBYE -> Goodbye.INSTANCE;
      case AUTH_FAILURE -> AuthFailure.INSTANCE;
      case PING -> new Ping(u16(), bytes(random.nextInt(64)));
      case PONG -> new Pong(u16(), bytes(random.nextBoolean() ? 0 : 16));
      case AUTH_REQUEST -> authRequest();
      case DATA, ENCODED_DATA -> new Data(kind.isEncoded(), bytes(random.nextInt(1500)));
      case DATA_FRAG, ENCODED_DATA_FRAG ->
          new DataFrag(
              kind.isEncoded(),
              u16(),
              random.nextInt(0x2000) * 8,
              random.nextBoolean(),
              bytes(random.nextInt(1400)));
      case AUTH_SUCCESS_WITH_CONFIG_V4 ->
          new AuthSuccessWithConfigV4(
              text(0, 23), text(0, 23), text(0, 23), text(0, 23), SessionId.of(random.nextLong()));
      case SERVER_CONFIG ->
          new ServerConfig(bytes(random.nextInt(ServerConfig.MAX_DATA_BYTES + 1)));
      case ENCODING_REQUEST -> new EncodingRequest(random.nextLong(), random.nextBoolean());
      case ENCODING_RESPONSE -> new EncodingResponse(random.nextLong(), random.nextBoolean());
      case EXPRESSLANE_CONFIG ->
          new ExpresslaneConfig(
              ExpresslaneVersion.values()[random.nextInt(3)],
              random.nextBoolean(),
              random.nextBoolean(),
              random.nextLong(),
              bytes(ExpresslaneConfig.KEY_BYTES));
    };
  }

  private AuthRequest authRequest() {
    return authRequest(AuthRequest.Method.values()[random.nextInt(4)]);
  }

  AuthRequest authRequest(AuthRequest.Method method) {
    return switch (method) {
      case USER_PASS -> new AuthRequest.UserPass(text(0, 50), text(0, 50));
      case TOKEN -> new AuthRequest.Token(text(0, AuthRequest.MAX_TOKEN_BYTES));
      case VERSIONED_TOKEN ->
          new AuthRequest.VersionedToken(
              new ProtocolVersion(1, 1 + random.nextInt(3)),
              text(0, AuthRequest.MAX_VERSIONED_TOKEN_BYTES));
      case CUSTOM_CALLBACK ->
          new AuthRequest.CustomCallback(
              bytes(random.nextInt(AuthRequest.MAX_CUSTOM_DATA_BYTES + 1)));
    };
  }

  private int u16() {
    return random.nextInt(0x10000);
  }

  private byte[] bytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  /** UTF-8 text of at most {@code maxBytes} bytes, mixing 1-, 2-, 3- and 4-byte characters. */
  private String text(int minBytes, int maxBytes) {
    int budget = minBytes + random.nextInt(maxBytes - minBytes + 1);
    StringBuilder s = new StringBuilder();
    int used = 0;
    while (true) {
      int cp =
          switch (random.nextInt(4)) {
            case 0 -> 0x21 + random.nextInt(0x5e);
            case 1 -> 0xa0 + random.nextInt(0x700);
            case 2 -> 0x4e00 + random.nextInt(0x500);
            default -> 0x1f300 + random.nextInt(0x100);
          };
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + size > budget) {
        return s.toString();
      }
      s.appendCodePoint(cp);
      used += size;
    }
  }
}
