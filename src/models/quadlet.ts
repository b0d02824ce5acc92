// The Quadlet files that run a model server at boot: /etc/containers/systemd/<name>.container
// for the server, ai-workstation.network for the private network it joins, and the reader
// that finds our servers among the host's Quadlet files again. The container is the one
// container-spec.ts asks the libpod API for, written in systemd's words. Pure.
//
// How each value has to be written follows from how Quadlet reads it (podman's
// pkg/systemd/quadlet/quadlet.go, podman 5.x) and what systemd does to the ExecStart= line
// Quadlet generates from it:
// - Quadlet copies every value into ExecStart= and quotes only blanks, quotes and
//   backslashes there (escapeWords), never '%' or '$'. systemd then expands specifiers
//   (%n, %h, ...) and environment variables ($VAR) in ExecStart=, so every literal '%' is
//   written '%%' and every '$' '$$', in every key.
// - Exec=, PodmanArgs=, Environment=, Label= are split into words with systemd's quoting
//   rules (LookupLastArgs, LookupAllArgs, LookupAllKeyVal): a word with blanks, quotes or
//   backslashes goes in double quotes with '\' and '"' escaped.
// - Volume=, PublishPort=, Image=, ContainerName=, HealthCmd= are taken raw (Lookup,
//   LookupAll): quotes would reach podman as part of the value, so they are never quoted,
//   and a value must not carry what the line syntax eats (line breaks, blanks at the end,
//   a trailing backslash).
import { cdiDevices, HEALTH_TIMING, publishAddress } from './container-spec';
import { LABEL, PRIVATE_INTERFACE, PRIVATE_NETWORK, type ServerPlan } from './model-server';

export const QUADLET_DIR = '/etc/containers/systemd';
export const NETWORK_QUADLET = `${PRIVATE_NETWORK}.network`;
/** Loads the nftables table that refuses outbound traffic from the private network (models-firewall.ts). */
const FIREWALL_UNIT = 'ai-workstation-models-firewall.service';

/*
 * Podman version each key this file writes needs (Quadlet refuses a whole file with a key
 * it does not know: "unsupported key 'X' in group 'Container'"), so everything here works
 * on podman >= 4.8:
 *   [Container] ContainerName Image Exec Volume Network PublishPort AddDevice DropCapability
 *               NoNewPrivileges ReadOnly Environment Label   4.4 (Quadlet's first release)
 *               HealthCmd HealthInterval HealthRetries HealthStartPeriod HealthTimeout
 *               PodmanArgs                                   4.5
 *               Pull                                         4.6 (containers/podman#18788)
 *               ShmSize                                      4.7 (containers/podman#19230)
 *               ReadOnlyTmpfs                                4.8 (containers/podman#20479)
 *   [Network]   DisableDNS Label                             4.4 (containers/podman#16688)
 *               NetworkName                                  4.6 (containers/podman#19006)
 *               PodmanArgs                                   4.5
 * Not used although podman documents them, because they are newer than 4.8:
 *   Memory= (5.5, containers/podman#25346): PodmanArgs=--memory= instead;
 *   InterfaceName= (5.6, containers/podman#26278): PodmanArgs=--interface-name= instead
 *   (the flag of `podman network create`, which the 4.9 manual documents).
 */

/** [Container] keys of podman-container.unit(5), from the key table of podman 5.x's
 * pkg/systemd/quadlet/quadlet.go (containers/podman, commit 00b40dba52da, between 5.6 and
 * 5.7: it has InterfaceName and Memory, not AppArmor, which came in late 2025). */
export const QUADLET_CONTAINER_KEYS: readonly string[] = [
    'AddCapability', 'AddDevice', 'AddHost', 'Annotation', 'AutoUpdate', 'CgroupsMode',
    'ContainerName', 'ContainersConfModule', 'DNS', 'DNSOption', 'DNSSearch', 'DropCapability',
    'Entrypoint', 'Environment', 'EnvironmentFile', 'EnvironmentHost', 'Exec', 'ExposeHostPort',
    'GIDMap', 'GlobalArgs', 'Group', 'GroupAdd', 'HealthCmd', 'HealthInterval',
    'HealthLogDestination', 'HealthMaxLogCount', 'HealthMaxLogSize', 'HealthOnFailure',
    'HealthRetries', 'HealthStartPeriod', 'HealthStartupCmd', 'HealthStartupInterval',
    'HealthStartupRetries', 'HealthStartupSuccess', 'HealthStartupTimeout', 'HealthTimeout',
    'HostName', 'IP', 'IP6', 'Image', 'Label', 'LogDriver', 'LogOpt', 'Mask', 'Memory', 'Mount',
    'Network', 'NetworkAlias', 'NoNewPrivileges', 'Notify', 'PidsLimit', 'Pod', 'PodmanArgs',
    'PublishPort', 'Pull', 'ReadOnly', 'ReadOnlyTmpfs', 'ReloadCmd', 'ReloadSignal', 'RemapGid',
    'RemapUid', 'RemapUidSize', 'RemapUsers', 'Retry', 'RetryDelay', 'Rootfs', 'RunInit',
    'SeccompProfile', 'Secret', 'SecurityLabelDisable', 'SecurityLabelFileType',
    'SecurityLabelLevel', 'SecurityLabelNested', 'SecurityLabelType', 'ServiceName', 'ShmSize',
    'StartWithPod', 'StopSignal', 'StopTimeout', 'SubGIDMap', 'SubUIDMap', 'Sysctl', 'Timezone',
    'Tmpfs', 'UIDMap', 'Ulimit', 'Unmask', 'User', 'UserNS', 'VolatileTmp', 'Volume', 'WorkingDir',
];

/** [Network] keys of podman-network.unit(5), same source as QUADLET_CONTAINER_KEYS. */
export const QUADLET_NETWORK_KEYS: readonly string[] = [
    'ContainersConfModule', 'DNS', 'DisableDNS', 'Driver', 'Gateway', 'GlobalArgs', 'IPAMDriver',
    'IPRange', 'IPv6', 'InterfaceName', 'Internal', 'Label', 'NetworkDeleteOnStop', 'NetworkName',
    'Options', 'PodmanArgs', 'ServiceName', 'Subnet',
];

/** The [Quadlet] section every unit type may have (podman 5.x). */
const QUADLET_GROUP_KEYS: readonly string[] = ['DefaultDependencies'];

/** Sections systemd itself handles: Quadlet passes them through. */
const SYSTEMD_SECTIONS = ['Unit', 'Service', 'Install'];

export interface QuadletFile {
    fileName: string;
    unitName: string;
    text: string;
}

/** What the page needs to know of a .container file it finds on the host. */
export interface QuadletServer {
    fileName: string;
    unitName: string;
    containerName: string;
    image: string;
    publishPorts: string[];
    labels: Record<string, string>;
    /** It carries our managed label: the page made it and may change it. */
    managed: boolean;
}

// ---- writing ----

function doubleSpecials(value: string): string {
    return value.replace(/[%$]/g, c => c + c);
}

function isControl(c: string): boolean {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
}

function hasControl(value: string): boolean {
    return [...value].some(isControl);
}

function cEscape(c: string): string {
    const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\', '"': '\\"' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** One word for a key Quadlet splits into words; it comes back exactly after both layers. */
export function unitWord(word: string): string {
    // an empty word vanishes from ExecStart= and a lone ';' separates commands there
    if (word === '' || word === ';')
        throw new Error(`the argument "${word}" cannot be written to a Quadlet file`);
    const doubled = doubleSpecials(word);
    if (!/[\s"'\\]/.test(doubled) && !hasControl(doubled))
        return doubled;
    return '"' + [...doubled].map(c => (c === '\\' || c === '"' || isControl(c) ? cEscape(c) : c)).join('') + '"';
}

/** A value for a key Quadlet takes raw: nothing is unquoted, so nothing may need it. */
function rawValue(key: string, value: string): string {
    if (value === '' || hasControl(value) || /^\s|\s$|\\$/.test(value))
        throw new Error(`${key}= cannot hold "${value}"`);
    return doubleSpecials(value);
}

function volume(plan: ServerPlan): string {
    // -v splits on ':'; the path check refuses such paths before a plan is made
    if (plan.modelHostPath.includes(':') || plan.modelContainerPath.includes(':'))
        throw new Error(`a model path with ':' cannot be a Volume= (${plan.modelHostPath})`);
    // Read-only and never relabelled: ':z' or ':Z' would rewrite the SELinux labels of the
    // admin's model folder on the host, which other programs and other servers share
    // (':Z' would even lock them out). The folder must carry a label containers may read.
    // nosuid,nodev as container-spec.ts mounts it. Quadlet also turns the source into a
    // RequiresMountsFor= line, where blanks split the path: systemd then only warns about a
    // relative piece, the mount itself is not affected.
    return rawValue('Volume', `${plan.modelHostPath}:${plan.modelContainerPath}:ro,nosuid,nodev`);
}

/**
 * HealthCmd= is handed to `podman run --health-cmd` as one string. podman reads a JSON
 * array as the exec form and puts CMD in front itself (specgenutil's
 * MakeHealthCheckFromCli); an array starting with "CMD" would be split on blanks instead,
 * so the plan's command (which container-spec.ts prefixes with CMD) goes in bare. A
 * one-element array becomes CMD-SHELL there: /bin/sh -c in the image runs it.
 */
function healthCmd(command: readonly string[]): string {
    return rawValue('HealthCmd', JSON.stringify(command[0] === 'CMD' ? command.slice(1) : command));
}

function sorted(record: Record<string, string>): [string, string][] {
    return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function quadletFile(plan: ServerPlan): QuadletFile {
    // the name becomes a file name and a unit name: podman's own rule keeps both safe
    if (!NAME.test(plan.name))
        throw new Error(`"${plan.name}" is not a container name`);
    const lines = [
        '# A model server of the Cockpit AI workstation page (Models tab).',
        '[Unit]',
        `Description=Model server ${plan.name}`,
        // the nftables rules that keep the private network from reaching out must be loaded
        // first, and the server must not run without them
        `Requires=${FIREWALL_UNIT}`,
        `After=${FIREWALL_UNIT}`,
        '',
        '[Container]',
        `ContainerName=${plan.name}`,
        `Image=${rawValue('Image', plan.image)}`,
        // pulled at boot when missing (a fresh deployment, a pruned store), else kept as is
        'Pull=missing',
        `Network=${NETWORK_QUADLET}`,
        `PublishPort=${[publishAddress(plan), plan.hostPort, plan.containerPort].filter(part => part !== '').join(':')}`,
        `Volume=${volume(plan)}`,
        ...cdiDevices(plan.gpus).map(device => `AddDevice=${rawValue('AddDevice', device)}`),
        'DropCapability=ALL',
        'NoNewPrivileges=true',
        ...(plan.readOnlyRoot ? ['ReadOnly=true', 'ReadOnlyTmpfs=true'] : []),
        ...(plan.shmSize !== null ? [`ShmSize=${rawValue('ShmSize', plan.shmSize)}`] : []),
        `PodmanArgs=${unitWord(`--memory=${plan.memoryLimit}`)}`,
        ...sorted(plan.env).map(([name, value]) => `Environment=${unitWord(`${name}=${value}`)}`),
        ...sorted(plan.labels).map(([name, value]) => `Label=${unitWord(`${name}=${value}`)}`),
        ...(plan.healthCmd && plan.healthCmd.length > 0
            ? [
                `HealthCmd=${healthCmd(plan.healthCmd)}`,
                `HealthInterval=${HEALTH_TIMING.intervalS}s`,
                `HealthRetries=${HEALTH_TIMING.retries}`,
                `HealthStartPeriod=${HEALTH_TIMING.startPeriodS}s`,
                `HealthTimeout=${HEALTH_TIMING.timeoutS}s`,
            ]
            : []),
        ...(plan.command.length > 0 ? [`Exec=${plan.command.map(unitWord).join(' ')}`] : []),
        '',
        '[Service]',
        'Restart=on-failure',
        // the first start at boot may pull an image of several GB
        'TimeoutStartSec=900',
        '',
        '[Install]',
        'WantedBy=multi-user.target default.target',
        '',
    ];
    return { fileName: `${plan.name}.container`, unitName: `${plan.name}.service`, text: lines.join('\n') };
}

/** The private network, as ensurePrivateNetwork in podman-client.ts creates it. */
export function quadletNetworkFile(): { fileName: string, text: string } {
    const text = [
        '# The private network of the Cockpit AI workstation model servers; nftables refuses its outbound traffic.',
        '[Unit]',
        'Description=Private network of the AI workstation model servers',
        '',
        '[Network]',
        `NetworkName=${PRIVATE_NETWORK}`,
        'DisableDNS=true',
        `Label=${LABEL.managed}=true`,
        // the fixed interface name is what the nftables rules match on
        `PodmanArgs=--interface-name=${PRIVATE_INTERFACE}`,
        '',
    ].join('\n');
    return { fileName: NETWORK_QUADLET, text };
}

// ---- reading ----

interface Entry { key: string, value: string, line: number }
interface Section { name: string, line: number, entries: Entry[] }
interface UnitText { sections: Section[], problem: string | null }

/** systemd.syntax(7): comments, blank lines, '\' continuations (comment lines inside one are skipped). */
function parseUnitText(text: string): UnitText {
    const sections: Section[] = [];
    let problem: string | null = null;
    let pending: { text: string, line: number } | null = null;
    const physical = text.split(/\r?\n/);
    const logical: { text: string, line: number }[] = [];
    physical.forEach((raw, index) => {
        const trimmed = raw.replace(/^\s+/, '');
        if (trimmed.startsWith('#') || trimmed.startsWith(';'))
            return;
        if (pending === null && trimmed === '')
            return;
        // an odd number of trailing backslashes continues the line
        const trailing = /\\+$/.exec(trimmed)?.[0].length ?? 0;
        if (trailing % 2 === 1) {
            const part = trimmed.slice(0, -1) + ' ';
            pending = pending ? { text: pending.text + part, line: pending.line } : { text: part, line: index + 1 };
            return;
        }
        logical.push(pending ? { text: pending.text + trimmed, line: pending.line } : { text: trimmed, line: index + 1 });
        pending = null;
    });
    if (pending !== null)
        logical.push(pending);
    for (const { text: line, line: number } of logical) {
        const content = line.trim();
        if (content === '')
            continue;
        if (content.startsWith('[')) {
            const m = /^\[([^\]]+)\]$/.exec(content);
            if (!m) {
                problem ??= `line ${number}: malformed section header "${content}"`;
                continue;
            }
            sections.push({ name: m[1], line: number, entries: [] });
            continue;
        }
        const eq = content.indexOf('=');
        const section = sections[sections.length - 1];
        if (eq <= 0) {
            problem ??= `line ${number}: "${content}" is not key=value`;
            continue;
        }
        if (!section) {
            problem ??= `line ${number}: "${content}" is outside any section`;
            continue;
        }
        section.entries.push({ key: content.slice(0, eq).trim(), value: content.slice(eq + 1).trim(), line: number });
    }
    return { sections, problem };
}

/** '%%' and '$$' back to what podman sees; other specifiers stay, nothing here resolves them. */
function singleSpecials(value: string): string {
    return value.replace(/%%|\$\$/g, m => m[0]);
}

// systemd's WHITESPACE: other blanks (a no-break space) are part of a word
const WHITESPACE = ' \t\n\r';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\u0007', b: '\b', f: '\f', v: '\v', s: ' ', '\\': '\\', '"': '"', "'": "'" };

/** systemd's word splitting with unquoting and C escapes (extract_first_word, relaxed), then '%%' and '$$' undone. */
export function unitWords(value: string): string[] {
    const words: string[] = [];
    let word: string | null = null;
    let quote: '"' | "'" | null = null;
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (quote === null && WHITESPACE.includes(c)) {
            if (word !== null)
                words.push(word);
            word = null;
            continue;
        }
        word ??= '';
        if (quote !== null && c === quote) {
            quote = null;
        } else if (quote === null && (c === '"' || c === "'")) {
            quote = c;
        } else if (c === '\\' && quote !== "'" && i + 1 < value.length) {
            const next = value[i + 1];
            const hex = /^x([0-9a-fA-F]{2})/.exec(value.slice(i + 1));
            const unicode = /^(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(value.slice(i + 1));
            const octal = /^([0-7]{3})/.exec(value.slice(i + 1));
            if (hex) {
                word += String.fromCharCode(parseInt(hex[1], 16));
                i += 3;
            } else if (unicode) {
                word += String.fromCodePoint(parseInt(unicode[1] ?? unicode[2], 16));
                i += unicode[0].length;
            } else if (octal) {
                word += String.fromCharCode(parseInt(octal[1], 8));
                i += 3;
            } else if (next in ESCAPES) {
                word += ESCAPES[next];
                i += 1;
            } else {
                // relaxed: an unknown escape keeps its backslash
                word += c;
            }
        } else {
            word += c;
        }
    }
    if (word !== null)
        words.push(word);
    return words.map(singleSpecials);
}

/** A raw single value; a value wholly in quotes (written by hand) is unquoted. */
function plainValue(value: string): string {
    if (/^"[^"]*"$|^'[^']*'$/.test(value))
        return unitWords(value)[0] ?? '';
    return singleSpecials(value);
}

/** systemd's list semantics: each line adds, an empty assignment empties the list. */
function allValues(section: Section, key: string): string[] {
    const values: string[] = [];
    for (const entry of section.entries) {
        if (entry.key !== key)
            continue;
        if (entry.value === '')
            values.length = 0;
        else
            values.push(entry.value);
    }
    return values;
}

function lastValue(section: Section, key: string): string | null {
    const values = allValues(section, key);
    return values.length > 0 ? values[values.length - 1] : null;
}

export function parseQuadletFile(fileName: string, text: string): QuadletServer | null {
    const unit = parseUnitText(text);
    // systemd merges repeated sections; so does this
    const entries = unit.sections.filter(s => s.name === 'Container').flatMap(s => s.entries);
    if (!unit.sections.some(s => s.name === 'Container'))
        return null;
    const container: Section = { name: 'Container', line: 0, entries };
    const base = (fileName.split('/').pop() ?? fileName).replace(/\.container$/, '');
    const name = lastValue(container, 'ContainerName');
    const labels: Record<string, string> = {};
    for (const line of allValues(container, 'Label')) {
        for (const word of unitWords(line)) {
            const eq = word.indexOf('=');
            if (eq > 0)
                labels[word.slice(0, eq)] = word.slice(eq + 1);
            else if (eq < 0 && word !== '')
                labels[word] = '';
        }
    }
    const image = lastValue(container, 'Image');
    return {
        fileName,
        unitName: `${base}.service`,
        // Quadlet's default name, systemd-%N, with %N resolved
        containerName: name !== null ? plainValue(name) : `systemd-${base}`,
        image: image !== null ? plainValue(image) : '',
        publishPorts: allValues(container, 'PublishPort').map(plainValue),
        labels,
        managed: labels[LABEL.managed] === 'true',
    };
}

/** The first key Quadlet or systemd would not know, or a line it could not read; null when all is well. */
export function quadletKeysProblem(text: string): string | null {
    const unit = parseUnitText(text);
    if (unit.problem !== null)
        return unit.problem;
    const known: Record<string, readonly string[]> = {
        Container: QUADLET_CONTAINER_KEYS,
        Network: QUADLET_NETWORK_KEYS,
        Quadlet: QUADLET_GROUP_KEYS,
    };
    for (const section of unit.sections) {
        if (SYSTEMD_SECTIONS.includes(section.name) || section.name.startsWith('X-'))
            continue;
        const keys = known[section.name];
        if (!keys)
            return `line ${section.line}: unknown section [${section.name}]`;
        const unknown = section.entries.find(entry => !keys.includes(entry.key));
        if (unknown)
            return `line ${unknown.line}: unsupported key '${unknown.key}' in [${section.name}]`;
    }
    return null;
}
