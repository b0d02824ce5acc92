// blocked-units.sh run for real (sh) on a root holding the drop-ins this page writes, and
// its output parsed back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBlockedUnits } from './blocked-units-parser';
import { egressDropIn } from './unit-dropin';

const script = path.join(__dirname, 'blocked-units.sh');

function rootWith(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-blocked-units-'));
    for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
}

function written(unit: string, exceptions: string[] = []): [string, string] {
    const dropIn = egressDropIn(unit, exceptions.map(value => ({ kind: value.includes('/') ? 'network' : 'address', value, family: value.includes(':') ? 'ipv6' : 'ipv4' } as const)));
    if (!dropIn.ok)
        throw new Error(dropIn.reason);
    return [dropIn.path.slice(1), dropIn.text];
}

const roots: string[] = [];
afterAll(() => roots.forEach(root => fs.rmSync(root, { recursive: true, force: true })));

function listed(files: Record<string, string>) {
    const root = rootWith(files);
    roots.push(root);
    return parseBlockedUnits(execFileSync('sh', [script, root], { encoding: 'utf8' }));
}

test('each of our drop-ins, with what it allows', () => {
    const units = listed(Object.fromEntries([
        written('ollama.service', ['192.0.2.53']),
        written('model-fetch.socket'),
        // someone else's drop-in of the same unit is not ours
        ['etc/systemd/system/ollama.service.d/10-other.conf', '[Service]\nIPAddressDeny=\n'],
    ]));
    expect(units.map(u => [u.unit, u.state?.blocksOutbound, u.state?.exceptions.map(e => e.value)])).toEqual([
        ['model-fetch.socket', true, []],
        ['ollama.service', true, ['192.0.2.53']],
    ]);
});

test('no drop-ins: nothing, and the script still succeeds', () => {
    expect(listed({})).toEqual([]);
});

test('a drop-in someone edited into something systemd would refuse is listed with its problem', () => {
    const [units] = [listed({ 'etc/systemd/system/x.service.d/50-ai-workstation-egress.conf': '[Service]\nIPAddressDeny=not-an-address\n' })];
    expect(units).toEqual([{ unit: 'x.service', state: null, problem: expect.stringContaining('not-an-address') }]);
});

test('a drop-in edited to allow everything again no longer blocks', () => {
    const [unit] = listed({ 'etc/systemd/system/x.service.d/50-ai-workstation-egress.conf': '[Service]\nIPAddressDeny=any\nIPAddressAllow=any\n' });
    expect(unit.state?.blocksOutbound).toBe(false);
});

test('output that is not the script\'s is refused', () => {
    expect(() => parseBlockedUnits('garbage\n')).toThrow('unexpected line');
});
