package dev.ringway.core.expresslane;

/**
 * One session's Expresslane counters at a moment. The drop counters carry Lightway's metric names
 * ({@code expresslane_encrypt_no_key}, {@code expresslane_decrypt_no_key}, {@code
 * expresslane_decrypt_failed}) plus the reasons Lightway reports as errors ({@code
 * ReplayedExpressData}, {@code InsufficientData}) and oversized packets.
 */
public record ExpresslaneCounters(
    long packetsSent,
    long bytesSent,
    long packetsReceived,
    long bytesReceived,
    long encryptNoKey,
    long decryptNoKey,
    long decryptFailed,
    long replayed,
    long insufficientData,
    long oversized) {}
