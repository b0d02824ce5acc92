/** @jest-environment node */
// The real probe.sh, run by sh against every simulated workstation, then parsed.
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { PROBED_TOOLS, updateModel } from './capabilities';
import { parseOsRelease } from './os-release-parser';
import { parseProbe } from './probe-parser';

const repo = path.resolve(__dirname, '../..');
const probeScript = path.join(__dirname, 'probe.sh');
const scenarios = fs.readdirSync(path.join(repo, 'test/sim/scenarios'))
        .filter(name => fs.existsSync(path.join(repo, 'test/sim/scenarios', name, 'scenario.json')));
let workDir: string;

beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-probe-test-'));
});

afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
});

function prepare(scenario: string): { stateDir: string, env: Record<string, string> } {
    const stateDir = path.join(workDir, scenario);
    execFileSync(process.execPath, [path.join(repo, 'test/sim/prepare.mjs'), scenario, stateDir], { stdio: 'pipe' });
    const env = Object.fromEntries(fs.readFileSync(path.join(stateDir, 'env'), 'utf8').split('\n').filter(Boolean)
            .map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    return { stateDir, env };
}

function probe(env: Record<string, string>): string {
    return execFileSync('/bin/sh', [probeScript], { env, encoding: 'utf8' });
}

test('there are scenarios to probe', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['healthy', 'multi-gpu-mig', 'driver-mismatch', 'no-nvidia', 'not-ostree', 'bootc']));
});

test.each(scenarios)('probe.sh reads what the %s workstation offers', scenario => {
    const { stateDir, env } = prepare(scenario);
    const caps = parseProbe(probe(env));
    const root = path.join(stateDir, 'root');

    expect(caps.root).toBe(root);
    expect(caps.kernel).toBe(fs.readFileSync(path.join(root, 'proc/sys/kernel/osrelease'), 'utf8').trim());
    expect(caps.ostreeBooted).toBe(fs.existsSync(path.join(root, 'run/ostree-booted')));
    expect(caps.os?.prettyName).toBe(parseOsRelease(fs.readFileSync(path.join(root, 'etc/os-release'), 'utf8')).prettyName);
    expect(caps.osReleasePath).toBe('/etc/os-release');
    for (const tool of PROBED_TOOLS)
        expect([tool, caps.tools[tool]]).toEqual([tool, fs.existsSync(path.join(stateDir, 'bin', tool)) ? path.join(stateDir, 'bin', tool) : null]);
    // the probe looks, it does not run the tools
    expect(fs.readFileSync(path.join(stateDir, 'log.jsonl'), 'utf8')).toBe('');
});

test('the scenarios cover each way a host is installed', () => {
    const models = scenarios.map(scenario => updateModel(parseProbe(probe(prepare(scenario).env))));
    expect(models).toEqual(expect.arrayContaining(['rpm-ostree', 'package']));
});

test('a host without os-release or kernel facts still answers', () => {
    const { stateDir, env } = prepare('healthy');
    fs.rmSync(path.join(stateDir, 'root/etc/os-release'));
    fs.rmSync(path.join(stateDir, 'root/proc/sys/kernel/osrelease'));
    const caps = parseProbe(probe(env));
    expect(caps.os).toBeNull();
    expect(caps.osReleasePath).toBeNull();
    expect(caps.kernel).toBeNull();
});

test('/usr/lib/os-release is the fallback', () => {
    const { stateDir, env } = prepare('not-ostree');
    const etc = path.join(stateDir, 'root/etc/os-release');
    fs.mkdirSync(path.join(stateDir, 'root/usr/lib'), { recursive: true });
    fs.renameSync(etc, path.join(stateDir, 'root/usr/lib/os-release'));
    const caps = parseProbe(probe(env));
    expect(caps.osReleasePath).toBe('/usr/lib/os-release');
    expect(caps.os).not.toBeNull();
});

const good = [
    'aiws-probe\t1',
    'root\t',
    'kernel\t6.8.0',
    'ostree-booted\tyes',
    ...PROBED_TOOLS.map(tool => `tool\t${tool}\t${tool === 'bootc' ? '' : '/usr/bin/' + tool}`),
    'podman-socket\tno',
    'os-release-file\t/etc/os-release',
    'os-release\tID=fedora',
    'os-release\tVARIANT_ID=silverblue',
    'end\t',
].join('\n');

test('parses a well-formed answer', () => {
    const caps = parseProbe(good);
    expect(caps.tools.bootc).toBeNull();
    expect(caps.tools['rpm-ostree']).toBe('/usr/bin/rpm-ostree');
    expect(caps.os?.variantId).toBe('silverblue');
    expect(updateModel(caps)).toBe('rpm-ostree');
});

test.each([
    ['an unknown format', good.replace('aiws-probe\t1', 'hello'), /unknown format/],
    ['a truncated answer', good.replace('end\t', ''), /incomplete/],
    ['a bad yes/no', good.replace('ostree-booted\tyes', 'ostree-booted\tmaybe'), /yes or no/],
    ['a missing tool', good.replace(/tool\tnft\t[^\n]*\n/, ''), /did not report nft/],
    ['an unknown key', good.replace('end\t', 'surprise\tx\nend\t'), /unexpected key/],
    ['a line without a tab', good.replace('end\t', 'garbage\nend\t'), /unexpected line/],
    ['empty output', '', /unknown format/],
])('rejects %s with a ParseError', (_name, text, message) => {
    let error: unknown;
    try {
        parseProbe(text);
    } catch (e) {
        error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(message);
    expect((error as ParseError).tool).toBe('capability probe');
});
