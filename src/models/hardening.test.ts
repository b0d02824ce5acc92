// The hardening marks of the details view, read back from podman's inspect output as
// podman 4.3.1 recorded it: a container this page made (aiws-rec-ours), and ones it did
// not make, with and without our nftables table loaded.
import { readFixture } from '../../test/unit/fixtures';
import { dropsAllCapabilities, hardeningMarks, type HardeningCheck } from './hardening';
import { parseContainerInspect, type ContainerDetails } from './libpod-inspect-parser';
import { parseFirewallListing, type FirewallState } from './models-firewall';

const inspect = (name: string): ContainerDetails => parseContainerInspect(readFixture(`podman/libpod-container-inspect-${name}-4.3.1.json`));
const ours = inspect('ours');
const loaded: FirewallState = parseFirewallListing(readFixture('nft/nft-j-list-table-models-1.0.6.json'));
const notLoaded: FirewallState = { loaded: false, refusedOutbound: 0, refusedToHost: 0, rules: [] };

/** The marks as a check → ok map. */
const marks = (details: ContainerDetails, firewall: FirewallState | null): Record<HardeningCheck, boolean> =>
    Object.fromEntries(hardeningMarks(details, firewall).map(mark => [mark.check, mark.ok])) as Record<HardeningCheck, boolean>;

describe('dropsAllCapabilities', () => {
    test('--cap-drop all as podman 4.3.1 lists it: fourteen capabilities one by one', () => {
        expect(ours.capDrop).toHaveLength(14);
        expect(ours.capDrop).not.toContain('ALL');
        expect(ours.capAdd).toEqual([]);
        expect(dropsAllCapabilities(ours)).toBe(true);
    });

    test('a capability added back is not "all dropped"', () => {
        expect(dropsAllCapabilities({ capDrop: ours.capDrop, capAdd: ['CAP_NET_BIND_SERVICE'] })).toBe(false);
        expect(dropsAllCapabilities({ capDrop: ['ALL'], capAdd: ['NET_ADMIN'] })).toBe(false);
    });

    test('"ALL" itself, in either spelling', () => {
        expect(dropsAllCapabilities({ capDrop: ['ALL'], capAdd: [] })).toBe(true);
        expect(dropsAllCapabilities({ capDrop: ['all'], capAdd: [] })).toBe(true);
    });

    test('the default set without the CAP_ prefix, as containers.conf names it', () => {
        const bare = ours.capDrop.map(cap => cap.replace(/^CAP_/, ''));
        expect(dropsAllCapabilities({ capDrop: bare, capAdd: [] })).toBe(true);
    });

    test('a partial list is not all', () => {
        expect(dropsAllCapabilities({ capDrop: ['CAP_NET_RAW', 'CAP_MKNOD'], capAdd: [] })).toBe(false);
        expect(dropsAllCapabilities({ capDrop: ours.capDrop.filter(cap => cap !== 'CAP_SETUID'), capAdd: [] })).toBe(false);
        expect(dropsAllCapabilities({ capDrop: ours.capDrop.filter(cap => cap !== 'CAP_SYS_CHROOT'), capAdd: [] })).toBe(false);
        expect(dropsAllCapabilities({ capDrop: [], capAdd: [] })).toBe(false);
    });
});

describe('hardeningMarks', () => {
    test('a server this page made, with the firewall loaded: every mark', () => {
        expect(hardeningMarks(ours, loaded)).toEqual([
            { check: 'capabilities', ok: true },
            { check: 'no-new-privileges', ok: true },
            { check: 'model-read-only', ok: true },
            { check: 'read-only-root', ok: true },
            { check: 'loopback-only', ok: true },
            { check: 'no-outbound', ok: true },
            { check: 'memory-limit', ok: true },
        ]);
    });

    test('the same server without the firewall: the private network alone does not stop outbound traffic', () => {
        expect(loaded.loaded).toBe(true);
        expect(marks(ours, notLoaded)['no-outbound']).toBe(false);
        expect(marks(ours, null)['no-outbound']).toBe(false);
        const others = hardeningMarks(ours, null).filter(mark => mark.check !== 'no-outbound');
        expect(others.every(mark => mark.ok)).toBe(true);
    });

    test('the firewall loaded does not help a server on podman\'s default network', () => {
        const unhealthy = inspect('unhealthy');
        expect(unhealthy.networks).toEqual(['podman']);
        expect(marks(unhealthy, loaded)['no-outbound']).toBe(false);
    });

    test('a server started by hand with podman\'s defaults (aiws-rec-unhealthy)', () => {
        expect(marks(inspect('unhealthy'), loaded)).toEqual({
            'capabilities': false,
            'no-new-privileges': false,
            // mounted with :ro below /models
            'model-read-only': true,
            'read-only-root': false,
            'loopback-only': true,
            'no-outbound': false,
            'memory-limit': false,
        });
    });

    test('a container with an added capability, a writable volume and no model (aiws-rec-devices)', () => {
        const devices = inspect('devices');
        expect(devices.capAdd).toEqual(['CAP_NET_ADMIN']);
        expect(marks(devices, loaded)).toMatchObject({
            'capabilities': false,
            // nothing is mounted below /models: there is no read-only model to vouch for
            'model-read-only': false,
            'memory-limit': false,
        });
    });

    test('a model mount that is writable is marked', () => {
        const writable = { ...ours, mounts: ours.mounts.map(m => ({ ...m, readOnly: false })) };
        expect(marks(writable, loaded)['model-read-only']).toBe(false);
        // one writable among read-only ones is enough to lose the mark
        const mixed = { ...ours, mounts: [...ours.mounts, { source: '/srv/cache', destination: '/models/cache', readOnly: false, type: 'bind' }] };
        expect(marks(mixed, loaded)['model-read-only']).toBe(false);
        // a writable mount elsewhere is not a model mount
        const elsewhere = { ...ours, mounts: [...ours.mounts, { source: '/srv/cache', destination: '/cache', readOnly: false, type: 'bind' }] };
        expect(marks(elsewhere, loaded)['model-read-only']).toBe(true);
        // nor is a folder that only starts with the same letters
        const lookalike = { ...ours, mounts: [{ source: '/srv/models', destination: '/models-rw', readOnly: true, type: 'bind' }] };
        expect(marks(lookalike, loaded)['model-read-only']).toBe(false);
    });

    test('a port published on every interface loses the loopback mark', () => {
        const exposed = { ...ours, ports: [{ hostIp: '0.0.0.0', hostPort: 18181, containerPort: 8080, protocol: 'tcp' }] };
        expect(marks(exposed, loaded)['loopback-only']).toBe(false);
        const allIfaces = { ...ours, ports: [{ hostIp: '', hostPort: 18181, containerPort: 8080, protocol: 'tcp' }] };
        expect(marks(allIfaces, loaded)['loopback-only']).toBe(false);
    });
});
