/**
 * Who may use the tunnel: an htpasswd-style user database (bcrypt, SHA-crypt, MD5-crypt, Apache
 * MD5, DES crypt — all through libraries), RS256 JWT tokens, and a limiter for repeated failures
 * from one address. Checks are slow by design, so everything here is meant to run on a worker
 * thread and answers with an {@link dev.ringway.core.auth.AuthResult}, never by blocking the loop.
 */
package dev.ringway.core.auth;
