# Holds sockets open for an ss recording (record-ss.sh). Usage:
#   hold-sockets.py [--comm NAME] SPEC...
# NAME takes Python escapes (\n, \t, \x1b) so that a recording can use control characters.
# SPEC: tcp-listen:ADDR:PORT[:v6only]  tcp-connect:ADDR:PORT[:dev]  udp-bind:ADDR:PORT[:dev]  udp-connect:ADDR:PORT
#       tcp-listen-close:ADDR:PORT (accepts and closes at once)
import ctypes, socket, sys, threading, time

def family(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET

def split(spec):
    kind, rest = spec.split(':', 1)
    # addresses in [] so that v6 colons do not split
    if rest.startswith('['):
        addr, rest = rest[1:].split(']:', 1)
    else:
        addr, rest = rest.split(':', 1)
    parts = rest.split(':')
    return kind, addr, int(parts[0]), parts[1:]

held = []

def acceptor(sock, close):
    while True:
        conn, _ = sock.accept()
        if close:
            conn.close()
        else:
            held.append(conn)

args = sys.argv[1:]
if args and args[0] == '--comm':
    libc = ctypes.CDLL(None)
    libc.prctl(15, ctypes.c_char_p(args[1].encode().decode('unicode_escape').encode('latin-1')), 0, 0, 0)  # PR_SET_NAME
    args = args[2:]
for spec in args:
    kind, addr, port, extra = split(spec)
    fam = family(addr)
    if kind.startswith('tcp-listen'):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6 and extra:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(extra[0]))
        s.bind((addr, port))
        s.listen(16)
        threading.Thread(target=acceptor, args=(s, kind == 'tcp-listen-close'), daemon=True).start()
    elif kind == 'tcp-connect':
        s = socket.socket(fam, socket.SOCK_STREAM)
        if extra:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, extra[0].encode())
        s.settimeout(5)
        # getaddrinfo understands a %scope suffix on link-local addresses
        s.connect(socket.getaddrinfo(addr, port, fam, socket.SOCK_STREAM)[0][4])
    elif kind == 'udp-bind':
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if extra:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, extra[0].encode())
        s.bind((addr, port))
    elif kind == 'udp-connect':
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.connect((addr, port))
    else:
        sys.exit('unknown spec ' + spec)
    held.append(s)
sys.stdout.write('ready\n'); sys.stdout.flush()
while True:
    time.sleep(3600)
