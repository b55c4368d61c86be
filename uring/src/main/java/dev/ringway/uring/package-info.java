/**
 * io_uring and the Linux calls a data plane needs, bound with the Foreign Function &amp; Memory
 * API: no JNI, no liburing. A {@link dev.ringway.uring.Ring} is owned by one thread that prepares
 * submission queue entries without allocating, submits once per loop iteration and drains
 * completions through a {@link dev.ringway.uring.CqeHandler}.
 *
 * <p><b>Memory-safety rule.</b> A buffer handed to the kernel (a read or receive buffer, a {@link
 * dev.ringway.uring.Msghdr}, a sockaddr, a buffer ring) is never reused or freed before the
 * operation's final completion arrives &mdash; including after a cancel, whose target still posts
 * its own completion. Arenas holding such memory close only after the ring is torn down: give them
 * to {@link dev.ringway.uring.Ring#adopt(java.lang.foreign.Arena)} and {@link
 * dev.ringway.uring.Ring#close()} cancels what is in flight, reaps every final completion, and only
 * then closes them.
 */
package dev.ringway.uring;
