/**
 * The packet work behind the TUN offloads, with no I/O: the {@code virtio_net_hdr} a TUN opened
 * with {@code IFF_VNET_HDR} puts before every packet, splitting the kernel's TCP and UDP
 * super-packets into MTU-sized inside packets ({@link Segmenter}), and merging consecutive inside
 * TCP segments of one flow into super-packets for the TUN write ({@link Coalescer}). Nothing here
 * allocates per packet once constructed.
 */
package dev.ringway.core.offload;
