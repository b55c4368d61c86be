/**
 * A Lightway UDP client built on wolfSSL, the library Lightway itself uses, bound through FFM: it
 * wraps wolfSSL's datagrams in Lightway's 16-byte outer header exactly as lightway-core does, and
 * proves a real Ringway server interoperates with it. Runnable by hand too; see {@code README.md}
 * beside this file.
 */
package dev.ringway.e2e.wolfssl;
