/**
 * wolfSSL's DTLS client bound through the FFM API ({@code java.lang.foreign}, no JNI): a peer
 * nobody here wrote, driven with custom I/O callbacks so the caller owns the socket and can wrap
 * every datagram as Lightway does. Test support only; the library is the build {@link
 * dev.ringway.testkit.WolfSsl} makes.
 */
package dev.ringway.testkit.wolfssl;
