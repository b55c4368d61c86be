/**
 * TLS 1.3 over a byte stream and DTLS 1.2 over datagrams, driven through {@link
 * javax.net.ssl.SSLEngine} with no I/O of its own: the event loop feeds outside bytes in and gets
 * outside bytes and plaintext back. Also loads PEM credentials and makes the self-signed server
 * identity the server falls back to.
 */
package dev.ringway.core.tls;
