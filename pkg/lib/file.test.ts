import { files, onSpawn, resetFake, spawnCalls } from '../../test/unit/fake-cockpit';
import { readFile, replaceFile } from './file';
import { hostPath, primeHostRoot, resetHostRoot } from './host-root';

beforeEach(() => {
    resetFake();
    resetHostRoot();
});

test('reads through the root prefix the probe primed, without a round trip', async () => {
    primeHostRoot('/tmp/sim/root');
    files.set('/tmp/sim/root/etc/os-release', 'ID=fedora\n');
    await expect(readFile('/etc/os-release')).resolves.toBe('ID=fedora\n');
    expect(spawnCalls).toHaveLength(0);
});

test('asks the host for the prefix once when nothing primed it', async () => {
    onSpawn(call => call.finish({ stdout: '/srv/root' }));
    await expect(hostPath('/etc/a')).resolves.toBe('/srv/root/etc/a');
    await expect(hostPath('/etc/b')).resolves.toBe('/srv/root/etc/b');
    expect(spawnCalls).toHaveLength(1);
});

test('an empty prefix leaves paths as they are', async () => {
    primeHostRoot('');
    await expect(hostPath('/run/ostree-booted')).resolves.toBe('/run/ostree-booted');
});

test('relative paths are refused', async () => {
    primeHostRoot('');
    await expect(hostPath('etc/passwd')).rejects.toThrow(/absolute/);
});

test('a missing file reads as null', async () => {
    primeHostRoot('');
    await expect(readFile('/etc/nothing')).resolves.toBeNull();
});

test('replace refuses to overwrite a file someone else changed', async () => {
    primeHostRoot('/r');
    files.set('/r/var/lib/x.json', '{"a":1}');
    const tag = await replaceFile('/var/lib/x.json', '{"a":2}', { admin: true });
    expect(files.get('/r/var/lib/x.json')).toBe('{"a":2}');
    await expect(replaceFile('/var/lib/x.json', '{"a":3}', { expectedTag: 'stale' })).rejects.toMatchObject({ subject: '/var/lib/x.json' });
    expect(files.get('/r/var/lib/x.json')).toBe('{"a":2}');
    await expect(replaceFile('/var/lib/x.json', '{"a":4}', { expectedTag: tag })).resolves.toBeDefined();
});
