/**
 * The io_uring wing of the loop: one {@link dev.ringway.loop.uring.EventLoop} owns one ring; each
 * source ({@code TunSource}, {@code UdpSource}, {@code TcpListenerSource}, {@code TcpStreamSource})
 * owns its slots and buffers, tags its requests' {@code user_data} ({@link
 * dev.ringway.loop.uring.UserData}) and implements the same few verbs (arm, complete, cancel, move
 * reads to a new ring). {@link dev.ringway.loop.uring.UringEngine} puts them behind the contract in
 * {@code dev.ringway.loop}; nothing here is seen by the server's protocol code.
 */
package dev.ringway.loop.uring;
