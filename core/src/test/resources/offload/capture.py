"""Captures super-packets from a real TUN with IFF_VNET_HDR and TUN offloads.

Run as root inside a fresh network namespace. With no argument it prints one
line per capture: "<label> <hex of virtio_net_hdr + packet>". The kernel is the
only source of the captured bytes; this script only plays the far TCP peer's
handshake so the kernel's socket reaches the established state and sends a
TSO burst.

With the argument "forward" it adds a second, plain TUN (no offloads) at
10.7.0.1/24, turns on forwarding, prints "ready", reads one hex frame and a
payload byte count from stdin, writes the frame to the offloading TUN and
prints "packet <hex>" for every packet the kernel forwards to the plain TUN,
which it must segment and checksum in software to do so.

With the argument "inject" it plays a TCP client through the TUN to a kernel
listener instead, prints "state <next server-side ack> <server TSval>", reads
one hex frame (virtio_net_hdr + packet) from stdin, writes it to the TUN and
prints "received <hex>" with what the kernel's socket delivered.
"""

import fcntl
import os
import select
import socket
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
IFF_TUN, IFF_NO_PI, IFF_VNET_HDR = 0x0001, 0x1000, 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_USO4, TUN_F_USO6 = 0x01, 0x02, 0x04, 0x20, 0x40
VNET = 10
UDP_SEGMENT = 103

NAME = "rwoff0"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def sh(*args):
    subprocess.run(args, check=True)


def open_tun():
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", NAME.encode(), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR))
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6)
    sh("ip", "addr", "add", "10.9.0.1/24", "dev", NAME)
    sh("ip", "-6", "addr", "add", "fd00:9::1/64", "dev", NAME, "nodad")
    sh("ip", "link", "set", NAME, "up")
    return fd


def read_until(fd, predicate, deadline=5.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        frame = os.read(fd, 70000)
        if predicate(frame):
            return frame
    sys.exit("no matching packet before the deadline")


def payload(n):
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


def ip_version(frame):
    return frame[VNET] >> 4


def l4(frame):
    pkt = frame[VNET:]
    if pkt[0] >> 4 == 4:
        return pkt[9], pkt[(pkt[0] & 15) * 4 :], pkt
    return pkt[6], pkt[40:], pkt


def syn_ack(syn_frame):
    proto, tcp, pkt = l4(syn_frame)
    v6 = pkt[0] >> 4 == 6
    src, dst = (pkt[8:24], pkt[24:40]) if v6 else (pkt[12:16], pkt[16:20])
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    tsval = 0
    opts = tcp[20 : (tcp[12] >> 4) * 4]
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if kind == 8:
            tsval = struct.unpack("!I", opts[i + 2 : i + 6])[0]
        i += opts[i + 1]
    options = struct.pack("!BBH", 2, 4, 1400) + struct.pack("!BBBB", 1, 3, 3, 7) + struct.pack("!BBBB", 1, 1, 4, 2)
    options += struct.pack("!BBBBII", 1, 1, 8, 10, 1000, tsval)
    header = struct.pack("!HHIIBBHHH", dport, sport, 5000, seq + 1, (5 + len(options) // 4) << 4, 0x12, 65535, 0, 0)
    segment = bytearray(header + options)
    if v6:
        pseudo = dst + src + struct.pack("!IxxxB", len(segment), 6)
    else:
        pseudo = dst + src + struct.pack("!BBH", 0, 6, len(segment))
    struct.pack_into("!H", segment, 16, csum(pseudo + bytes(segment)))
    if v6:
        ip = struct.pack("!IHBB", 0x60000000, len(segment), 6, 64) + dst + src
    else:
        ip = bytearray(struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(segment), 1, 0x4000, 64, 6, 0) + dst + src)
        struct.pack_into("!H", ip, 10, csum(bytes(ip)))
    return bytes(VNET) + bytes(ip) + bytes(segment)


def is_tcp(frame, flags=None):
    proto, tcp, _ = l4(frame)
    return proto == 6 and (flags is None or tcp[13] == flags)


def gso_type(frame):
    return frame[1] & 0x7F


def capture_tcp(fd, family, address, label):
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
    sock.setblocking(False)
    try:
        sock.connect((address, 8080))
    except BlockingIOError:
        pass
    syn = read_until(fd, lambda f: is_tcp(f, 0x02))
    os.write(fd, syn_ack(syn))
    ack = read_until(fd, lambda f: is_tcp(f) and len(l4(f)[1]) == (l4(f)[1][12] >> 4) * 4)
    print(label + "-ack", ack.hex())
    sock.setblocking(True)
    sock.send(payload(30000))
    burst = read_until(fd, lambda f: is_tcp(f) and gso_type(f) != 0)
    print(label, burst.hex())
    sock.close()


def capture_udp(fd, family, address, label):
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, 1200)
    sock.sendto(payload(4100), (address, 9999))
    burst = read_until(fd, lambda f: l4(f)[0] == 17 and gso_type(f) != 0)
    print(label, burst.hex())
    sock.close()


def main():
    fd = open_tun()
    capture_tcp(fd, socket.AF_INET, "10.9.0.2", "tcp4")
    capture_tcp(fd, socket.AF_INET6, "fd00:9::2", "tcp6")
    capture_udp(fd, socket.AF_INET, "10.9.0.2", "udp4")
    capture_udp(fd, socket.AF_INET6, "fd00:9::2", "udp6")


def tcp_packet(src, dst, sport, dport, seq, ack, flags, options, data=b""):
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (5 + len(options) // 4) << 4, flags, 502, 0, 0)
    segment = bytearray(header + options + data)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(segment))
    struct.pack_into("!H", segment, 16, csum(pseudo + bytes(segment)))
    ip = bytearray(struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(segment), 1, 0x4000, 64, 6, 0) + src + dst)
    struct.pack_into("!H", ip, 10, csum(bytes(ip)))
    return bytes(VNET) + bytes(ip) + bytes(segment)


def inject(fd):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("10.9.0.1", 8080))
    listener.listen(1)
    client, server = socket.inet_aton("10.9.0.2"), socket.inet_aton("10.9.0.1")
    options = struct.pack("!BBH", 2, 4, 1400) + struct.pack("!BBBBII", 1, 1, 8, 10, 1000, 0)
    os.write(fd, tcp_packet(client, server, 40000, 8080, 1000, 0, 0x02, options))
    syn_ack = read_until(fd, lambda f: is_tcp(f, 0x12))
    _, tcp, _ = l4(syn_ack)
    server_isn = struct.unpack("!I", tcp[4:8])[0]
    opts = tcp[20 : (tcp[12] >> 4) * 4]
    tsval = 0
    i = 0
    while i < len(opts):
        if opts[i] == 0:
            break
        if opts[i] == 1:
            i += 1
            continue
        if opts[i] == 8:
            tsval = struct.unpack("!I", opts[i + 2 : i + 6])[0]
        i += opts[i + 1]
    ts = struct.pack("!BBBBII", 1, 1, 8, 10, 1001, tsval)
    os.write(fd, tcp_packet(client, server, 40000, 8080, 1001, server_isn + 1, 0x10, ts))
    conn, _ = listener.accept()
    print("state", server_isn + 1, tsval, flush=True)
    frame = bytes.fromhex(sys.stdin.readline().strip())
    expected = int(sys.stdin.readline().strip())
    os.write(fd, frame)
    conn.settimeout(5.0)
    received = b""
    while len(received) < expected:
        chunk = conn.recv(65536)
        if not chunk:
            break
        received += chunk
    print("received", received.hex(), flush=True)


def forward(fd):
    plain = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(plain, TUNSETIFF, struct.pack("16sH", b"rwoff1", IFF_TUN | IFF_NO_PI))
    sh("ip", "addr", "add", "10.7.0.1/24", "dev", "rwoff1")
    sh("ip", "link", "set", "rwoff1", "up")
    with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
        f.write("1")
    print("ready", flush=True)
    frame = bytes.fromhex(sys.stdin.readline().strip())
    expected = int(sys.stdin.readline().strip())
    os.write(fd, frame)
    got = 0
    end = time.monotonic() + 5.0
    while got < expected and time.monotonic() < end:
        ready, _, _ = select.select([plain], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        packet = os.read(plain, 70000)
        if packet[0] >> 4 == 4 and packet[9] == 6:
            tcp = packet[(packet[0] & 15) * 4 :]
            got += len(tcp) - (tcp[12] >> 4) * 4
            print("packet", packet.hex(), flush=True)
    print("done", flush=True)


if len(sys.argv) > 1 and sys.argv[1] == "forward":
    forward(open_tun())
elif len(sys.argv) > 1 and sys.argv[1] == "inject":
    inject(open_tun())
else:
    main()
