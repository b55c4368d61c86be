/**
 * A compact, sans-I/O DTLS 1.3 (RFC 9147 over RFC 8446) for both roles, depending on the JDK only:
 * the caller feeds datagrams and a monotonic time in and receives datagrams to send and decrypted
 * application records through {@link dev.ringway.core.dtls.DtlsSession.Output}. A server fronts
 * every unknown address with the stateless {@link dev.ringway.core.dtls.DtlsCookieGate} and creates
 * a {@link dev.ringway.core.dtls.DtlsSession} only for a ClientHello carrying a valid cookie.
 */
package dev.ringway.core.dtls;
