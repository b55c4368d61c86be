package dev.ringway.core.wire;

/**
 * One Lightway message carried inside (D)TLS (digest §2). Records holding byte arrays compare, hash
 * and print them by content; the arrays belong to the frame and must not be modified.
 */
public sealed interface Frame
    permits NoOp,
        Ping,
        Pong,
        AuthRequest,
        Data,
        AuthSuccessWithConfigV4,
        AuthFailure,
        Goodbye,
        ServerConfig,
        DataFrag,
        EncodingRequest,
        EncodingResponse,
        ExpresslaneConfig {
  FrameKind kind();
}
