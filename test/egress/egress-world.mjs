// A private network "world" for the Network egress tab's tests and demo, made of three Linux
// network namespaces: a "workstation" (aiws-ws-ID) whose processes are audited, an "internet"
// (aiws-in-ID) holding the endpoints the agents talk to, and a "container" (aiws-ct-ID) routed
// through the workstation. Every link, address, route and nft rule lives inside those
// namespaces; the host's interfaces, routes and firewall are never touched. The one host
// setting changed while a world runs is net.netfilter.nf_log_all_netns (set to 1 so nft `log`
// rules inside the namespaces reach the kernel log; the old value is restored at stop).
// Plain Node 20 ESM, no npm dependencies. Needs root, iproute2, nft, util-linux (nsenter,
// unshare, setpriv), python3 and systemd 252's journald.
//
//   node test/egress/egress-world.mjs up ID     prints the world JSON, tears down on SIGTERM/SIGINT
//   node test/egress/egress-world.mjs sweep     removes worlds whose owner process is gone
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTRY = '/run/aiws-egress-world';
const NF_LOG_ALL_NETNS = '/proc/sys/net/netfilter/nf_log_all_netns';
const PREFIXES = ['aiws-ws-', 'aiws-in-', 'aiws-ct-'];
/** The subnets a world uses; none may overlap the host's own addresses or routes. */
export const WORLD_SUBNETS = ['198.51.100.0/24', '203.0.113.0/24', '10.213.9.0/24'];
export const ENDPOINTS = {
    'api.openai.com': '203.0.113.10',
    'api.anthropic.com': '203.0.113.11',
    'huggingface.co': '203.0.113.12',
    'allowed.example.net': '203.0.113.20',
    'other.example.net': '203.0.113.21',
};
export const DNS_ADDRESS = '203.0.113.53';
export const WS_ADDRESS = '198.51.100.2';
export const INET_ADDRESS = '198.51.100.1';
export const SSH_PORT = 2222;
const CT_ADDRESS = '10.213.9.2';
const CT_GATEWAY = '10.213.9.1';
// every process a world starts carries this in its environment, so stop and sweep kill only
// their own processes even if a pid was reused
const MARKER = 'AIWS_EGRESS_WORLD';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function which(tool, fallbacks = []) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    const first = found.status === 0 ? found.stdout.trim() : '';
    if (first.startsWith('/'))
        return first;
    return fallbacks.find(candidate => fs.existsSync(candidate)) ?? null;
}

/** Why a world cannot run here (not root, a tool missing), or null. */
export function worldUnavailable() {
    if (process.getuid?.() !== 0)
        return 'egress world needs root';
    for (const tool of ['ip', 'nft', 'nsenter', 'unshare', 'setpriv', 'ss', 'getent', 'journalctl'])
        if (!which(tool))
            return `egress world needs ${tool}, which is not installed`;
    if (!pythonPath())
        return 'egress world needs python3';
    if (!journaldPath())
        return 'egress world needs systemd-journald (systemd 252)';
    if (!fs.existsSync(NF_LOG_ALL_NETNS))
        return `egress world needs ${NF_LOG_ALL_NETNS} (nf_log in the kernel)`;
    return null;
}

function pythonPath() {
    // the system interpreter: readable by uid 65534 and a real binary (a pyenv shim is a
    // shell script that would exec python3 again and change the agents' comm)
    if (fs.existsSync('/usr/bin/python3'))
        return '/usr/bin/python3';
    const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    return found.status === 0 ? found.stdout.trim() || null : null;
}

function journaldPath() {
    return ['/usr/lib/systemd/systemd-journald', '/lib/systemd/systemd-journald'].find(p => fs.existsSync(p)) ?? null;
}

function run(cmd, args, { allowFail = false, input } = {}) {
    const result = spawnSync(cmd, args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (result.status !== 0 && !allowFail)
        throw new Error(`${cmd} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.error || ''}`.trim());
    return result;
}

// --- overlap check against the host ----------------------------------------------------

function parseCidr(text) {
    const [addr, len] = text.split('/');
    const parts = addr.split('.').map(Number);
    if (parts.length !== 4 || parts.some(n => !Number.isInteger(n) || n < 0 || n > 255))
        return null;
    const value = ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
    const bits = len === undefined ? 32 : Number(len);
    return { value, bits };
}

function overlaps(a, b) {
    const bits = Math.min(a.bits, b.bits);
    if (bits === 0)
        return true;
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return ((a.value & mask) >>> 0) === ((b.value & mask) >>> 0);
}

/** The host's IPv4 prefixes (addresses and non-default routes), from the host namespace. */
export function hostPrefixes() {
    const prefixes = [];
    for (const line of run('ip', ['-4', '-o', 'addr', 'show']).stdout.split('\n')) {
        const m = line.match(/\binet (\S+)/);
        if (m)
            prefixes.push(m[1]);
    }
    for (const table of [[], ['table', 'all']]) {
        for (const line of run('ip', ['-4', 'route', 'show', ...table], { allowFail: true }).stdout.split('\n')) {
            const first = line.trim().split(/\s+/).filter(w => !['unicast', 'local', 'broadcast', 'multicast'].includes(w))[0];
            if (first && first !== 'default' && /^\d/.test(first))
                prefixes.push(first);
        }
    }
    return [...new Set(prefixes)];
}

/** Throws when one of WORLD_SUBNETS overlaps something on the host. */
export function checkNoOverlap(prefixes = hostPrefixes()) {
    for (const subnet of WORLD_SUBNETS) {
        const s = parseCidr(subnet);
        for (const prefix of prefixes) {
            const p = parseCidr(prefix);
            if (p && !(p.value >>> 24 === 127) && overlaps(s, p))
                throw new Error(`egress world subnet ${subnet} overlaps the host's ${prefix}: refusing to run`);
        }
    }
}

// --- helper programs ---------------------------------------------------------------------

const INTERNET_PY = `
import socket, sys, threading
addrs = sys.argv[1].split(',')
def serve(conn, addr):
    try:
        conn.sendall(('hello from %s\\n' % addr).encode())
        while conn.recv(4096):
            pass
    except OSError:
        pass
    finally:
        conn.close()
def listen(addr, port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(64)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, addr), daemon=True).start()
threads = [threading.Thread(target=listen, args=(a, p), daemon=True) for a in addrs for p in (80, 443)]
for t in threads: t.start()
print('ready', flush=True)
for t in threads: t.join()
`;

// answers every query with NXDOMAIN (over UDP and TCP)
const DNS_PY = `
import socket, struct, sys, threading
addr = sys.argv[1]
def answer(q):
    if len(q) < 12: return None
    flags = struct.unpack('>H', q[2:4])[0]
    return q[:2] + struct.pack('>H', 0x8000 | (flags & 0x7900) | 0x0080 | 3) + q[4:6] + b'\\0\\0\\0\\0\\0\\0' + q[12:]
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, 53))
    while True:
        q, peer = s.recvfrom(4096)
        r = answer(q)
        if r: s.sendto(r, peer)
def tcp_conn(c):
    try:
        while True:
            n = c.recv(2)
            if len(n) < 2: break
            q = b''
            want = struct.unpack('>H', n)[0]
            while len(q) < want:
                chunk = c.recv(want - len(q))
                if not chunk: return
                q += chunk
            r = answer(q)
            if r: c.sendall(struct.pack('>H', len(r)) + r)
    except OSError: pass
    finally: c.close()
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((addr, 53)); s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_conn, args=(c,), daemon=True).start()
threading.Thread(target=udp, daemon=True).start()
print('ready', flush=True)
tcp()
`;

const ECHO_PY = `
import socket, sys, threading
def serve(c):
    f = c.makefile('rb')
    try:
        for line in f:
            c.sendall(line)
    except OSError: pass
    finally: c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
print('ready', flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

// relays stdin lines to a TCP connection and the answers back to stdout
const RELAY_PY = `
import socket, sys, threading
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
s.settimeout(None)
print('connected', flush=True)
def back():
    while True:
        data = s.recv(4096)
        if not data: break
        sys.stdout.buffer.write(data); sys.stdout.buffer.flush()
    sys.exit(0)
t = threading.Thread(target=back, daemon=True); t.start()
for line in sys.stdin.buffer:
    s.sendall(line)
s.shutdown(socket.SHUT_WR)
t.join(2)
`;

function agentPy(python, name, address, port, interval, hold, log) {
    return `#!${python}
# ${name}: an agent under audit; its comm is this file's name
import datetime, json, socket, threading, time
LOG = ${JSON.stringify(log)}
def attempt():
    record = {'time': datetime.datetime.now(datetime.timezone.utc).isoformat(), 'ok': False, 'error': None}
    s = None
    try:
        s = socket.create_connection((${JSON.stringify(address)}, ${port}), timeout=3)
        record['ok'] = True
    except OSError as e:
        record['error'] = str(e) or type(e).__name__
    with open(LOG, 'a') as f:
        f.write(json.dumps(record) + '\\n')
    if s is not None:
        time.sleep(${hold})
        s.close()
while True:
    threading.Thread(target=attempt, daemon=True).start()
    time.sleep(${interval})
`;
}

// --- processes -------------------------------------------------------------------------------

function spawnMarked(world, name, cmd, args) {
    const logFile = path.join(world.dir, 'logs', `${name}.log`);
    const log = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, {
        detached: true,
        stdio: ['ignore', log, log],
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', [MARKER]: world.id },
    });
    fs.closeSync(log);
    child.unref();
    child.on('error', () => undefined);
    world.processes.push({ name, pid: child.pid });
    saveRegistry(world);
    return { child, logFile };
}

async function waitFor(what, check, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await check())
            return;
        if (Date.now() > deadline)
            throw new Error(`egress world: ${what} did not happen within ${timeoutMs / 1000} s`);
        await sleep(100);
    }
}

async function waitReady(name, { child, logFile }) {
    await waitFor(`${name} ready`, () => {
        if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`egress world: ${name} exited: ${fs.readFileSync(logFile, 'utf8')}`);
        return fs.readFileSync(logFile, 'utf8').includes('ready');
    });
}

function markedWith(pid) {
    try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
            .find(entry => entry.startsWith(`${MARKER}=`))?.slice(MARKER.length + 1) ?? null;
    } catch {
        return null;
    }
}

function pidsOfWorld(id) {
    const pids = [];
    for (const entry of fs.readdirSync('/proc')) {
        if (/^\d+$/.test(entry) && Number(entry) !== process.pid && markedWith(entry) === id)
            pids.push(Number(entry));
    }
    return pids;
}

async function killWorldProcesses(id) {
    for (const signal of ['SIGTERM', 'SIGKILL']) {
        const pids = pidsOfWorld(id);
        if (pids.length === 0)
            return;
        for (const pid of pids) {
            try {
                process.kill(pid, signal);
            } catch {
                // already gone
            }
        }
        for (let i = 0; i < 30 && pidsOfWorld(id).length > 0; i++)
            await sleep(100);
    }
}

// --- registry ----------------------------------------------------------------------------

function registryFile(id) {
    return path.join(REGISTRY, `${id}.json`);
}

function saveRegistry(world) {
    fs.mkdirSync(REGISTRY, { recursive: true });
    fs.writeFileSync(registryFile(world.id), JSON.stringify(world, null, 2));
}

function ownerAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === 'EPERM';
    }
}

// --- the world -------------------------------------------------------------------------------

function nsExec(ns, args, opts) {
    return run('ip', ['netns', 'exec', ns, ...args], opts);
}

function shim(file, text) {
    fs.writeFileSync(file, `#!/bin/sh\n${text}\n`, { mode: 0o755 });
}

function q(text) {
    return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts a world (see the file's header). `id`: up to 6 of [a-z0-9]. `ownerPid`: the process
 * whose death makes the world stale for sweepStaleWorlds (default: this one).
 */
export async function startEgressWorld({ id, ownerPid = process.pid } = {}) {
    if (typeof id !== 'string' || !/^[a-z0-9]{1,6}$/.test(id))
        throw new Error(`egress world id must be 1 to 6 of [a-z0-9], not ${JSON.stringify(id)}`);
    const unavailable = worldUnavailable();
    if (unavailable)
        throw new Error(unavailable);
    checkNoOverlap();
    const ns = { ws: `aiws-ws-${id}`, inet: `aiws-in-${id}`, ct: `aiws-ct-${id}` };
    const existing = run('ip', ['netns', 'list']).stdout;
    for (const name of Object.values(ns))
        if (new RegExp(`^${name}\\b`, 'm').test(existing))
            throw new Error(`egress world ${id}: namespace ${name} exists already (sweepStaleWorlds() or stopWorld it)`);
    if (fs.existsSync(registryFile(id)))
        throw new Error(`egress world ${id}: ${registryFile(id)} exists already (a world with this id runs or was not stopped)`);

    const dir = fs.mkdtempSync(`/tmp/aiws-egress-${id}-`);
    fs.chmodSync(dir, 0o755);
    for (const sub of ['agents', 'logs', 'bin', 'shims', 'journal'])
        fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o755 });
    const machineId = fs.readFileSync('/etc/machine-id', 'utf8').trim();
    const world = {
        id, dir, ownerPid, namespaces: ns, netnsPaths: Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, `/run/netns/${v}`])),
        endpoints: ENDPOINTS, dnsAddress: DNS_ADDRESS, wsAddress: WS_ADDRESS, inetAddress: INET_ADDRESS, sshPort: SSH_PORT,
        containerAddress: CT_ADDRESS,
        hostsFile: path.join(dir, 'hosts'), etcNetnsDir: `/etc/netns/${ns.ws}`, resolvConf: `nameserver ${DNS_ADDRESS}\n`,
        resolvConfFile: path.join(dir, 'resolv.conf'),
        shimDir: path.join(dir, 'shims'), journalRoot: path.join(dir, 'journal'), journalDir: path.join(dir, 'journal', machineId),
        nfLogAllNetnsBefore: null, processes: [], agents: {},
    };
    fs.writeFileSync(path.join(dir, 'owner'), `${ownerPid}\n`);
    saveRegistry(world);
    try {
        await buildWorld(world);
    } catch (e) {
        await stopWorld(world);
        throw e;
    }
    return world;
}

async function buildWorld(world) {
    const { ns, dir } = { ns: world.namespaces, dir: world.dir };
    const python = pythonPath();

    // namespaces and links; veth pairs are made inside the namespaces
    for (const name of Object.values(ns))
        run('ip', ['netns', 'add', name]);
    for (const name of Object.values(ns))
        run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', ns.inet, 'link', 'add', 'in0', 'type', 'veth', 'peer', 'name', 'ws0', 'netns', ns.ws]);
    run('ip', ['-n', ns.ws, 'link', 'add', 'ws-ct', 'type', 'veth', 'peer', 'name', 'ct0', 'netns', ns.ct]);
    run('ip', ['-n', ns.inet, 'addr', 'add', `${INET_ADDRESS}/24`, 'dev', 'in0']);
    run('ip', ['-n', ns.ws, 'addr', 'add', `${WS_ADDRESS}/24`, 'dev', 'ws0']);
    run('ip', ['-n', ns.ws, 'addr', 'add', `${CT_GATEWAY}/24`, 'dev', 'ws-ct']);
    run('ip', ['-n', ns.ct, 'addr', 'add', `${CT_ADDRESS}/24`, 'dev', 'ct0']);
    for (const [name, dev] of [[ns.inet, 'in0'], [ns.ws, 'ws0'], [ns.ws, 'ws-ct'], [ns.ct, 'ct0']])
        run('ip', ['-n', name, 'link', 'set', dev, 'up']);
    // the endpoints are extra addresses on the internet's lo (no dummy module needed)
    for (const address of [...Object.values(ENDPOINTS), DNS_ADDRESS])
        run('ip', ['-n', ns.inet, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
    run('ip', ['-n', ns.ws, 'route', 'add', 'default', 'via', INET_ADDRESS]);
    run('ip', ['-n', ns.ct, 'route', 'add', 'default', 'via', CT_GATEWAY]);
    run('ip', ['-n', ns.inet, 'route', 'add', '10.213.9.0/24', 'via', WS_ADDRESS]);
    // /proc/sys/net belongs to the network namespace of the process that opens it
    nsExec(ns.ws, ['sh', '-c', 'echo 1 >/proc/sys/net/ipv4/ip_forward']);

    // names
    const hosts = ['127.0.0.1 localhost', ...Object.entries(ENDPOINTS).map(([name, address]) => `${address} ${name}`)].join('\n') + '\n';
    fs.writeFileSync(world.hostsFile, hosts);
    fs.writeFileSync(world.resolvConfFile, world.resolvConf);
    fs.mkdirSync(world.etcNetnsDir, { recursive: true });
    fs.writeFileSync(path.join(world.etcNetnsDir, 'hosts'), hosts);
    fs.writeFileSync(path.join(world.etcNetnsDir, 'resolv.conf'), world.resolvConf);

    // the one host setting: nft `log` in a non-init netns reaches the kernel log only with this
    // a world already running set it: the value to go back to is the one it found
    const running = listWorlds().filter(w => w.id !== world.id && ownerAlive(w.ownerPid) && w.nfLogAllNetnsBefore != null);
    world.nfLogAllNetnsBefore = running.length > 0 ? running[0].nfLogAllNetnsBefore : fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim();
    saveRegistry(world);
    fs.writeFileSync(NF_LOG_ALL_NETNS, '1');

    // the journal first, so it sees everything after
    await startJournal(world);

    // listeners
    const bin = path.join(dir, 'bin');
    fs.writeFileSync(path.join(bin, 'internet.py'), INTERNET_PY);
    fs.writeFileSync(path.join(bin, 'dns.py'), DNS_PY);
    fs.writeFileSync(path.join(bin, 'echo.py'), ECHO_PY);
    fs.writeFileSync(path.join(bin, 'relay.py'), RELAY_PY);
    const nsenter = which('nsenter');
    const started = [
        ['internet', spawnMarked(world, 'internet', nsenter, [`--net=${world.netnsPaths.inet}`, python, '-u', path.join(bin, 'internet.py'), Object.values(ENDPOINTS).join(',')])],
        ['dns', spawnMarked(world, 'dns', nsenter, [`--net=${world.netnsPaths.inet}`, python, '-u', path.join(bin, 'dns.py'), DNS_ADDRESS])],
        ['ssh-echo', spawnMarked(world, 'ssh-echo', nsenter, [`--net=${world.netnsPaths.ws}`, python, '-u', path.join(bin, 'echo.py'), WS_ADDRESS, String(SSH_PORT)])],
    ];
    for (const [name, handle] of started)
        await waitReady(name, handle);

    // agents: each a script whose file name is its comm
    const setpriv = which('setpriv');
    const agents = [
        { name: 'chat-agent', address: ENDPOINTS['api.openai.com'], netns: world.netnsPaths.ws, uid: 65534 },
        { name: 'update-agent', address: ENDPOINTS['allowed.example.net'], netns: world.netnsPaths.ws, uid: 0 },
        { name: 'ctr-agent', address: ENDPOINTS['huggingface.co'], netns: world.netnsPaths.ct, uid: 0 },
    ];
    for (const agent of agents) {
        const script = path.join(bin, agent.name);
        const log = path.join(dir, 'agents', `${agent.name}.jsonl`);
        fs.writeFileSync(script, agentPy(python, agent.name, agent.address, 443, 2, 8, log), { mode: 0o755 });
        fs.writeFileSync(log, '');
        fs.chownSync(log, agent.uid, agent.uid);
        const args = [`--net=${agent.netns}`];
        if (agent.uid !== 0)
            args.push(setpriv, `--reuid=${agent.uid}`, `--regid=${agent.uid}`, '--clear-groups');
        args.push(script);
        const { child } = spawnMarked(world, agent.name, nsenter, args);
        world.agents[agent.name] = { pid: child.pid, uid: agent.uid, target: `${agent.address}:443`, log, netns: agent.netns };
    }
    saveRegistry(world);
    writeShims(world);
    await waitFor('the first agent attempts', () => Object.keys(world.agents).every(name => fs.readFileSync(world.agents[name].log, 'utf8').length > 0), 8000);
}

async function startJournal(world) {
    const journald = journaldPath();
    const conf = path.join(world.dir, 'journald.conf');
    fs.writeFileSync(conf, `[Journal]
Storage=persistent
ReadKMsg=yes
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
RateLimitIntervalSec=0
SystemMaxUse=64M
`);
    // a private mount namespace: tmpfs over /run (its sockets and the "flushed" flag, so it writes
    // to /var/log/journal at once), the world's journal directory over /var/log/journal and a
    // journald.conf of its own
    const script = `set -eu
mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/journald.conf.d /run/systemd/journal /run/log/journal
cp "$1" /run/systemd/journald.conf.d/zz-aiws-egress.conf
touch /run/systemd/journal/flushed
mount --bind "$1" /etc/systemd/journald.conf
mkdir -p /var/log/journal
mount --bind "$2" /var/log/journal
exec "$3"`;
    const handle = spawnMarked(world, 'journald', which('unshare'), ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', conf, world.journalRoot, journald]);
    await waitFor('the world journal', () => {
        if (handle.child.exitCode !== null)
            throw new Error(`egress world: journald exited: ${fs.readFileSync(handle.logFile, 'utf8')}`);
        if (!fs.existsSync(world.journalDir))
            return false;
        const r = spawnSync('journalctl', [`--directory=${world.journalDir}`, '_TRANSPORT=kernel', '-o', 'json', '-n', '1', '-q'], { encoding: 'utf8' });
        return r.status === 0 && r.stdout.trim().length > 0;
    }, 15000);
}

function writeShims(world) {
    const nsenter = which('nsenter');
    const wsNet = `--net=${world.netnsPaths.ws}`;
    const tools = { ss: which('ss', ['/usr/bin/ss', '/usr/sbin/ss']), conntrack: which('conntrack', ['/usr/sbin/conntrack']), nft: which('nft', ['/usr/sbin/nft']) };
    for (const [name, real] of Object.entries(tools)) {
        if (real)
            shim(path.join(world.shimDir, name), `exec ${nsenter} ${q(wsNet)} ${q(real)} "$@"`);
        else
            shim(path.join(world.shimDir, name), `echo "${name}: not installed on this host" >&2; exit 127`);
    }
    const getent = which('getent');
    shim(path.join(world.shimDir, 'getent'),
        `exec ${which('unshare')} --mount --propagation private sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec ${nsenter} ${q(wsNet)} ${getent} "$@"' sh ${q(world.hostsFile)} ${q(world.resolvConfFile)} "$@"`);
    shim(path.join(world.shimDir, 'journalctl'), `exec ${which('journalctl')} ${q(`--directory=${world.journalDir}`)} "$@"`);
}

/** The last `n` attempts an agent logged, oldest first. */
export async function lastAttempts(world, name, n = 1) {
    let text = '';
    try {
        text = await fs.promises.readFile(path.join(world.dir, 'agents', `${name}.jsonl`), 'utf8');
    } catch {
        return [];
    }
    return text.split('\n').filter(Boolean).slice(-n).map(line => JSON.parse(line));
}

/**
 * A TCP connection from the internet namespace to the workstation's echo "SSH" listener
 * (address/port default to it). send(line) resolves to the echoed line.
 */
export async function inetConnect(world, address = WS_ADDRESS, port = SSH_PORT) {
    const child = spawn(which('nsenter'), [`--net=${world.netnsPaths.inet}`, pythonPath(), '-u', path.join(world.dir, 'bin', 'relay.py'), address, String(port)],
        { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [MARKER]: world.id } });
    let buffer = '';
    let stderr = '';
    const waiters = [];
    const pump = () => {
        for (;;) {
            const nl = buffer.indexOf('\n');
            if (nl < 0 || waiters.length === 0)
                return;
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            waiters.shift().resolve(line);
        }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', chunk => { buffer += chunk; pump(); });
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.on('exit', code => {
        for (const w of waiters.splice(0))
            w.reject(new Error(`inetConnect ${address}:${port}: connection ended (${code}) ${stderr}`.trim()));
    });
    const next = (timeoutMs = 5000) => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`inetConnect ${address}:${port}: no answer within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ resolve: v => { clearTimeout(timer); resolve(v); }, reject: e => { clearTimeout(timer); reject(e); } });
        if (child.exitCode !== null)
            waiters.pop().reject(new Error(`inetConnect ${address}:${port}: connection ended ${stderr}`.trim()));
        pump();
    });
    const connected = await next(8000);
    if (connected !== 'connected')
        throw new Error(`inetConnect ${address}:${port}: ${connected}`);
    return {
        pid: child.pid,
        send: line => {
            const answer = next();
            child.stdin.write(`${line}\n`);
            return answer;
        },
        close: () => new Promise(resolve => {
            if (child.exitCode !== null || child.signalCode !== null)
                return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => { clearTimeout(timer); resolve(); });
            child.stdin.end();
        }),
    };
}

function netnsList() {
    const r = run('ip', ['netns', 'list'], { allowFail: true });
    return r.stdout.split('\n').map(line => line.split(/\s+/)[0]).filter(Boolean);
}

/**
 * Ends everything the world started, deletes its namespaces and /etc/netns entry, restores
 * nf_log_all_netns. Idempotent; never throws for pieces already gone.
 */
export async function stopWorld(world) {
    if (!world?.id || !/^[a-z0-9]{1,6}$/.test(world.id))
        return;
    const id = world.id;
    let recorded = world;
    try {
        recorded = { ...JSON.parse(fs.readFileSync(registryFile(id), 'utf8')), ...world };
    } catch {
        // no registry entry: stopped already, or never recorded
    }
    await killWorldProcesses(id);
    const present = netnsList();
    for (const name of PREFIXES.map(prefix => `${prefix}${id}`)) {
        if (present.includes(name))
            run('ip', ['netns', 'delete', name], { allowFail: true });
    }
    fs.rmSync(`/etc/netns/aiws-ws-${id}`, { recursive: true, force: true });
    rmdirIfEmpty('/etc/netns');
    const before = recorded.nfLogAllNetnsBefore;
    if (before !== null && before !== undefined) {
        // another world still running wants the setting kept
        const others = listWorlds().filter(w => w.id !== id && ownerAlive(w.ownerPid));
        if (others.length === 0) {
            try {
                fs.writeFileSync(NF_LOG_ALL_NETNS, String(before));
            } catch {
                // not writable any more: nothing to restore
            }
        }
    }
    fs.rmSync(registryFile(id), { force: true });
    rmdirIfEmpty(REGISTRY);
}

function rmdirIfEmpty(dir) {
    try {
        fs.rmdirSync(dir);
    } catch {
        // not empty, or gone
    }
}

function listWorlds() {
    let entries = [];
    try {
        entries = fs.readdirSync(REGISTRY);
    } catch {
        return [];
    }
    const worlds = [];
    for (const entry of entries.filter(e => e.endsWith('.json'))) {
        try {
            worlds.push(JSON.parse(fs.readFileSync(path.join(REGISTRY, entry), 'utf8')));
        } catch {
            worlds.push({ id: entry.slice(0, -5), ownerPid: 0 });
        }
    }
    return worlds;
}

/** Stops every world (namespace with an aiws-ws-/in-/ct- prefix) whose owner process is gone. */
export async function sweepStaleWorlds() {
    const ids = new Set();
    for (const name of netnsList()) {
        const prefix = PREFIXES.find(p => name.startsWith(p));
        if (prefix)
            ids.add(name.slice(prefix.length));
    }
    for (const w of listWorlds())
        ids.add(w.id);
    const registered = new Map(listWorlds().map(w => [w.id, w]));
    const swept = [];
    for (const id of ids) {
        const w = registered.get(id);
        if (w && ownerAlive(w.ownerPid))
            continue;
        await stopWorld(w ?? { id });
        swept.push(id);
    }
    return swept;
}

// --- CLI ---------------------------------------------------------------------------------

async function main(argv) {
    const [cmd, id] = argv;
    if (cmd === 'sweep') {
        console.log(JSON.stringify({ swept: await sweepStaleWorlds() }));
        return;
    }
    if (cmd !== 'up' || !id) {
        console.error('usage: egress-world.mjs up ID | sweep');
        process.exit(2);
    }
    const world = await startEgressWorld({ id });
    let stopping = false;
    const stop = async () => {
        if (stopping)
            return;
        stopping = true;
        await stopWorld(world);
        process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdout.write(`${JSON.stringify(world)}\n`);
    setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main(process.argv.slice(2)).catch(e => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
