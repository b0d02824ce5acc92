// The part of systemd the page uses for its own units: daemon-reload, enable, disable of
// unit files under <root>/etc/systemd/system, and, at a simulated boot, running the
// services of enabled timers that fire after boot (OnBootSec=), as systemd would a little
// later. No systemd runs here (no PID 1); this is the behaviour, not the daemon.
//
// Messages: systemd's own wording in src/systemctl/systemctl-enable.c / install.c
// ("Created symlink …", "Removed …", "Unit file … does not exist."); not recorded.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const UNIT_DIR = 'etc/systemd/system';
// the units packages ship (podman.socket); a file in UNIT_DIR overrides one here
const VENDOR_UNIT_DIR = 'usr/lib/systemd/system';

function unitFile(rootDir, unit) {
    const local = path.join(rootDir, UNIT_DIR, unit);
    const vendor = path.join(rootDir, VENDOR_UNIT_DIR, unit);
    return !fs.existsSync(local) && fs.existsSync(vendor) ? vendor : local;
}

/** The unit's path on the host, as systemd names it in "Created symlink … → …". */
function hostUnitPath(rootDir, file) {
    return `/${path.relative(rootDir, file)}`;
}

/** [Install] WantedBy= of a unit file; null when the file has none. */
function wantedBy(text) {
    let inInstall = false;
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line.startsWith('['))
            inInstall = line === '[Install]';
        else if (inInstall && line.startsWith('WantedBy='))
            return line.slice('WantedBy='.length).trim().split(/\s+/)[0] || null;
    }
    return null;
}

/**
 * systemctl show --property=LoadState --value: 'loaded' for a unit file under the root,
 * 'masked' for one linked to /dev/null, else 'not-found' (what systemctl prints for a name
 * it knows nothing of, with exit 0).
 */
export function loadState(rootDir, unit) {
    const file = unitFile(rootDir, unit);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat)
        return 'not-found';
    if (stat.isSymbolicLink() && fs.readlinkSync(file) === '/dev/null')
        return 'masked';
    return 'loaded';
}

function validUnitName(unit) {
    return /^[A-Za-z0-9:_.\\@-]+\.(service|timer|socket|path|target)$/.test(unit);
}

export function enableUnits(rootDir, units) {
    let out = '';
    for (const unit of units) {
        if (!validUnitName(unit))
            return { stdout: '', stderr: `Failed to enable unit: Invalid unit name "${unit}".\n`, exit: 1 };
        const file = unitFile(rootDir, unit);
        if (!fs.existsSync(file))
            return { stdout: '', stderr: `Failed to enable unit: Unit file ${unit} does not exist.\n`, exit: 1 };
        const target = wantedBy(fs.readFileSync(file, 'utf8'));
        if (!target)
            continue;
        const wants = path.join(rootDir, UNIT_DIR, `${target}.wants`);
        fs.mkdirSync(wants, { recursive: true });
        const link = path.join(wants, unit);
        if (!fs.existsSync(link) && !fs.lstatSync(link, { throwIfNoEntry: false })) {
            fs.symlinkSync(hostUnitPath(rootDir, file), link);
            out += `Created symlink /${UNIT_DIR}/${target}.wants/${unit} → ${hostUnitPath(rootDir, file)}.\n`;
        }
    }
    return { stdout: '', stderr: out, exit: 0 };
}

export function disableUnits(rootDir, units) {
    let out = '';
    const base = path.join(rootDir, UNIT_DIR);
    for (const unit of units) {
        if (!validUnitName(unit))
            return { stdout: '', stderr: `Failed to disable unit: Invalid unit name "${unit}".\n`, exit: 1 };
        for (const dir of fs.existsSync(base) ? fs.readdirSync(base).filter(d => d.endsWith('.wants')) : []) {
            const link = path.join(base, dir, unit);
            if (fs.lstatSync(link, { throwIfNoEntry: false })) {
                fs.rmSync(link);
                out += `Removed "/${UNIT_DIR}/${dir}/${unit}".\n`;
            }
        }
    }
    return { stdout: '', stderr: out, exit: 0 };
}

/** ExecStart= of a service file, split on blanks (the page's units use no quoting). */
function execStart(text) {
    const line = text.split('\n').map(l => l.trim()).find(l => l.startsWith('ExecStart='));
    return line ? line.slice('ExecStart='.length).trim().split(/\s+/) : null;
}

/**
 * The services enabled timers start after boot: each timer under timers.target.wants with
 * OnBootSec= runs its Unit= (or the service of the same name). The command runs with the
 * simulated host's PATH and root prefix; a path argument under / is taken inside the root.
 */
export function runBootTimers(rootDir, env) {
    const wants = path.join(rootDir, UNIT_DIR, 'timers.target.wants');
    const ran = [];
    for (const timer of fs.existsSync(wants) ? fs.readdirSync(wants).sort() : []) {
        const timerFile = unitFile(rootDir, timer);
        if (!fs.existsSync(timerFile))
            continue;
        const timerText = fs.readFileSync(timerFile, 'utf8');
        if (!/^\s*OnBootSec=/m.test(timerText))
            continue;
        const unit = /^\s*Unit=(\S+)/m.exec(timerText)?.[1] ?? timer.replace(/\.timer$/, '.service');
        const serviceFile = unitFile(rootDir, unit);
        if (!fs.existsSync(serviceFile))
            continue;
        const argv = execStart(fs.readFileSync(serviceFile, 'utf8'));
        if (!argv)
            continue;
        // the interpreter is the machine's; the script and its files are the host's (inside the root)
        const args = argv.slice(1).map(a => (a.startsWith('/') && fs.existsSync(path.join(rootDir, a)) ? path.join(rootDir, a) : a));
        const result = spawnSync(argv[0], args, { env, encoding: 'utf8', timeout: 30000 });
        ran.push({ unit, exit: result.status, stderr: result.stderr });
    }
    return ran;
}

/**
 * `systemctl start` of a socket unit whose ListenStream= is under %t (/run): systemd would
 * bind the socket and start the service on the first connection. Here the service is the
 * machine's own, already listening (test/podman starts podman's API service), so starting
 * the socket makes it appear in the simulated host: a link from the root's run/ to it.
 */
export function startSockets(rootDir, units) {
    for (const unit of units.filter(u => u.endsWith('.socket'))) {
        const file = unitFile(rootDir, unit);
        if (!fs.existsSync(file))
            return { stdout: '', stderr: `Failed to start ${unit}: Unit ${unit} not found.\n`, exit: 5 };
        const listen = /^\s*ListenStream=%t\/(\S+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
        if (!listen)
            continue;
        const real = path.join('/run', listen);
        if (!fs.existsSync(real))
            return { stdout: '', stderr: `Job for ${unit} failed.\nSee "systemctl status ${unit}" and "journalctl -xeu ${unit}" for details.\n`, exit: 1 };
        const link = path.join(rootDir, 'run', listen);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.rmSync(link, { force: true });
        fs.symlinkSync(real, link);
    }
    return { stdout: '', stderr: '', exit: 0 };
}
