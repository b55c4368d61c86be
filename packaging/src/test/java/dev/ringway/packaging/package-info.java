/**
 * Specifications of the release artifacts: the tarball runs from where it is unpacked on the Java
 * runtime it ships, the Debian package passes lintian, installs, runs its server as the
 * unprivileged {@code ringway} user with only CAP_NET_ADMIN, carries a client's traffic, and leaves
 * nothing behind when purged. They run after {@code package}, against the real artifacts.
 */
package dev.ringway.packaging;
