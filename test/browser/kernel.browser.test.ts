// The Kernel & driver story in a real Cockpit on the simulated workstation: a healthy boot
// is recorded known-good, the admin pins it, an update whose kernel has no NVIDIA module
// is guarded, the admin goes ahead anyway, the simulated reboot breaks the GPU, Recover
// brings back the known-good deployment and the next reboot gives a healthy verdict; the
// argv log shows exactly the commands that should have run, as root. Then kernel
// arguments (hostile input never reaches argv), kernel pinning and MOK enrolment.
import fs from 'fs';
import path from 'path';
import { eventually, openSession, readInvocations, type Session, type ToolInvocation } from './harness';

type AppFrame = Session['app'];


/** What changed the host: every call of the deployment tools but the reads. */
function changes(session: Session): string[] {
    const reads = (c: ToolInvocation) =>
        (c.tool === 'rpm-ostree' && ((c.argv[0] === 'status') || c.argv[0] === 'db' || (c.argv[0] === 'kargs' && c.argv.length === 1))) ||
        (c.tool === 'bootc' && c.argv[0] === 'status');
    return readInvocations(session.server.logPath)
            .filter(c => ['rpm-ostree', 'ostree', 'bootc', 'systemctl', 'mokutil'].includes(c.tool) && !reads(c))
            .filter(c => !(c.tool === 'mokutil' && c.argv[0] !== '--import'))
            .map(c => `${c.admin ? '#' : '$'} ${c.tool} ${c.argv.join(' ')}`);
}

function knownGoodFile(session: Session): string {
    const file = path.join(session.server.stateDir, 'root/var/lib/cockpit-ai-workstation/known-good.jsonl');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

async function confirm(app: AppFrame, dialogId: string, expectText: RegExp) {
    const dialog = app.locator(`#${dialogId}`);
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(expectText);
    await dialog.locator('button[data-confirm-step]').click();
    await dialog.waitFor({ state: 'detached', timeout: 10000 });
}

/** The GPU verdict as a fresh page load sees it (a real reboot drops the connection: the page loads anew). */
async function verdict(session: Session): Promise<string | null> {
    await session.open('gpus');
    await session.page.reload();
    const card = session.app.locator('#driver-health');
    await card.waitFor({ timeout: 30000 });
    return card.getAttribute('data-condition');
}

describe('the bad-driver day, from a healthy boot to recovery', () => {
    let session: Session;
    let app: AppFrame;

    beforeAll(async () => {
        session = await openSession({ scenario: 'kernel-update-no-module', timeScale: 0.1 });
        app = session.app;
    });

    afterAll(async () => {
        await session?.close();
    });

    test('a healthy boot is recorded known-good when the page sees it', async () => {
        await session.open('overview');
        await app.locator('#gpu-verdict[data-condition="healthy"]').waitFor({ timeout: 30000 });
        expect(await eventually(() => knownGoodFile(session), text => text.includes('"recordedBy":"page"'), 15000)).toContain('"recordedBy":"page"');
        const record = JSON.parse(knownGoodFile(session).trim().split('\n').at(-1)!);
        expect(record).toMatchObject({ version: '33.21', kernel: '5.9.11-200.fc33.x86_64', driverVersion: '570.124.04', gpus: ['NVIDIA GeForce RTX 3060'] });
    });

    test('the Kernel & driver tab shows it and pins it in one click', async () => {
        await session.open('kernel');
        const row = app.locator('#kernel-inventory tr[data-deployment="0"]');
        await row.locator('[data-field="known-good"] .pf-v6-c-label').waitFor({ timeout: 30000 });
        expect(await row.locator('[data-field="module"]').textContent()).toContain('570.124.04');
        expect(await row.locator('[data-field="signer"]').textContent()).toMatch(/^signed by \S/);
        expect(await row.locator('[data-match="yes"]').count()).toBe(1);
        await row.locator('[data-action="pin-known-good"]').click();
        await confirm(app, 'kernel-confirm', /kept when updates and clean-ups remove old deployments/);
        await app.locator('#kernel-inventory tr[data-deployment="0"] [data-action="pin-known-good"]').waitFor({ state: 'detached', timeout: 15000 });
        await session.shot('kernel-known-good');
    });

    test('the boot-time recorder is installed and enabled', async () => {
        // the switch follows the host (it is on once the timer is installed), not the click
        await app.locator('#recorder-switch').click({ force: true });
        const enabled = path.join(session.server.stateDir, 'root/etc/systemd/system/timers.target.wants/ai-workstation-known-good.timer');
        // systemd's link points at /etc/… of the host: inside the root prefix it is looked at, not followed
        const installed = await eventually(() => fs.lstatSync(enabled, { throwIfNoEntry: false }) !== undefined, Boolean, 15000);
        await session.shot('kernel-recorder');
        expect(installed).toBe(true);
        await app.locator('#recorder-switch:checked').waitFor({ state: 'attached', timeout: 15000 });
        expect(fs.readFileSync(path.join(session.server.stateDir, 'root/etc/cockpit-ai-workstation/record-known-good.sh'), 'utf8')).toMatch(/^#!\/bin\/sh/);
    });

    test('an update whose kernel has no NVIDIA module is guarded: red, pin first, explicit consent', async () => {
        await session.open('deployments');
        await app.locator('#deployments-table').waitFor({ timeout: 30000 });
        await app.locator('#check-updates').click();
        await app.locator('#preview-update').click();
        await app.locator('#update-packages').waitFor({ timeout: 30000 });
        await app.locator('#stage-update').click();
        const dialog = app.locator('#deployment-confirm');
        const guard = dialog.locator('#update-guard');
        await guard.waitFor();
        expect(await guard.getAttribute('data-level')).toBe('danger');
        expect(await guard.textContent()).toMatch(/no NVIDIA module built for 5\.10\.19-200\.fc33\.x86_64/);
        const stage = dialog.locator('button[data-confirm-step="1"]');
        expect(await stage.isDisabled()).toBe(true);
        await session.shot('kernel-update-guard');
        await dialog.locator('#guard-acknowledge').check();
        expect(await stage.isDisabled()).toBe(false);
        await stage.click();
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 60000 });
        await app.locator('#staged-guard').waitFor({ timeout: 30000 });
        expect(await app.locator('#staged-guard').textContent()).toMatch(/Do not reboot into 33\.20210301\.0/);
    });

    test('the admin reboots anyway and the GPU is gone', async () => {
        await app.locator('#reboot-now').click();
        await confirm(app, 'deployment-confirm', /restarts into 33\.20210301\.0/);
        await app.locator('#progress-panel[data-state="succeeded"]').waitFor({ timeout: 30000 });
        expect(await verdict(session)).toBe('module-kernel-mismatch');
    });

    test('Recover on the Overview brings back the known-good deployment, and the reboot a healthy GPU', async () => {
        await session.open('overview');
        const recovery = app.locator('#recovery[data-plan="rollback"]');
        await recovery.waitFor({ timeout: 30000 });
        expect(await recovery.textContent()).toContain('33.21');
        await session.shot('overview-recover');
        await recovery.locator('#recover').click();
        await confirm(app, 'overview-confirm', /Roll back makes it the default for the next boot/);
        await app.locator('#recovery[data-plan="reboot-into"] #recovery-reboot').waitFor({ timeout: 30000 });
        await app.locator('#recovery-reboot').click();
        await confirm(app, 'overview-confirm', /restarts into 33\.21/);
        // the progress stays after the GPU is healthy again, and the recovery card goes
        await app.locator('#overview-progress[data-state="succeeded"]').waitFor({ timeout: 30000 });
        expect(await verdict(session)).toBe('healthy');
        // the boot-time recorder recorded that boot too, without the page
        expect(knownGoodFile(session)).toContain('"recordedBy":"boot"');
    });

    test('the argv log shows exactly the expected commands, all as root', () => {
        expect(changes(session)).toEqual([
            '# ostree admin pin 0',
            '# systemctl daemon-reload',
            '# systemctl enable ai-workstation-known-good.timer',
            '# rpm-ostree upgrade --check',
            '# rpm-ostree upgrade --preview',
            '# rpm-ostree upgrade',
            '# systemctl reboot',
            '# rpm-ostree rollback',
            '# systemctl reboot',
        ]);
        expect(session.consoleErrors).toEqual([]);
    });
});

describe('kernel arguments', () => {
    let session: Session;
    let app: AppFrame;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', timeScale: 0.1 });
        app = session.app;
        await session.open('kernel');
        await app.locator('#kargs-current-list').waitFor({ timeout: 30000 });
        // the boot entry's own arguments are shown but cannot be removed
        expect(await app.locator('#kargs-current-list [data-karg^="ostree="] button').count()).toBe(0);
        expect(await app.locator('#kargs-current-list [data-karg="rhgb"] button').count()).toBe(1);
    });

    afterAll(async () => {
        await session?.close();
    });

    test.each([
        'quiet; reboot', '$(reboot)', '`id`', 'a b', 'nvidia-drm.modeset="1', '--append=x', 'x|y', 'x>y', 'key=\u202evalue', 'a\\b',
    ])('%j is refused as typed and never reaches argv', async hostile => {
        const input = app.locator('#karg-new');
        await input.fill(hostile);
        await app.locator('#karg-new-error').waitFor();
        expect(await app.locator('#karg-add').isDisabled()).toBe(true);
        await input.press('Enter');
        expect(await app.locator('#kargs-diff').count()).toBe(0);
        await input.fill('');
    });

    test('a preset and a removal: the difference first, then one staged change', async () => {
        expect(readInvocations(session.server.logPath).filter(c => c.tool === 'rpm-ostree' && c.argv[0] === 'kargs' && c.argv.length > 1)).toEqual([]);
        await app.locator('[data-preset="rd-driver-blacklist-nouveau"]').click();
        await app.locator('#kargs-current-list [data-karg="rhgb"] button').click();
        const diff = app.locator('#kargs-diff');
        await diff.waitFor();
        expect(await diff.locator('[data-change="append"]').textContent()).toContain('rd.driver.blacklist=nouveau');
        expect(await diff.locator('[data-change="delete"]').textContent()).toContain('rhgb');
        await session.shot('kernel-kargs-diff');
        await app.locator('#kargs-apply').click();
        await confirm(app, 'kernel-confirm', /A new deployment with these arguments is staged/);
        await app.locator('#kernel-progress[data-state="succeeded"]').waitFor({ timeout: 30000 });
        const call = readInvocations(session.server.logPath).filter(c => c.tool === 'rpm-ostree' && c.argv[0] === 'kargs' && c.argv.length > 1).at(-1)!;
        expect(call).toMatchObject({ argv: ['kargs', '--append=rd.driver.blacklist=nouveau', '--delete=rhgb'], admin: true, exit: 0 });
        await session.open('deployments');
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 30000 });
        await app.locator('#reboot-pending').waitFor();
    });
});

describe('recovery when the known-good deployment is two back', () => {
    test('Recover deploys its version again, after nothing else', async () => {
        const session = await openSession({ scenario: 'broken-known-good-two-back', timeScale: 0.1 });
        try {
            await session.open('kernel');
            const recovery = session.app.locator('#recovery[data-plan="deploy"]');
            await recovery.waitFor({ timeout: 30000 });
            await recovery.locator('#recover').click();
            await confirm(session.app, 'kernel-confirm', /its version 33\.21 is deployed again/);
            await session.app.locator('#recovery[data-plan="reboot-into"]').waitFor({ timeout: 30000 });
            expect(changes(session)).toEqual(['# rpm-ostree deploy 33.21']);
        } finally {
            await session.close();
        }
    });
});

describe('Secure Boot: enrolling the module\'s signing key', () => {
    test('mokutil --import answered on its terminal, pending until the reboot, then the module loads', async () => {
        const session = await openSession({ scenario: 'secure-boot-key-not-enrolled', timeScale: 0.1 });
        try {
            const app = session.app;
            await session.open('kernel');
            await app.locator('#secure-boot-problem').waitFor({ timeout: 30000 });
            await app.locator('#mok-enroll').click();
            await app.locator('#mok-cert-akmods').check();
            await app.locator('#mok-password').fill('s3cret-otp');
            await app.locator('#mok-password-again').fill('s3cret-otq');
            expect(await app.locator('#mok-import').isDisabled()).toBe(true);
            await app.locator('#mok-password-again').fill('s3cret-otp');
            await app.locator('#mok-import').click();
            await app.locator('#mok-queued').waitFor({ timeout: 30000 });
            const pending = app.locator('#secure-boot-card [data-field="pending"]');
            expect(await eventually(() => pending.textContent(), text => (text ?? '').includes('Nvidia'), 15000)).toContain('Nvidia Driver Kmod Signing MOK');
            expect(changes(session)).toEqual(['# mokutil --import /etc/pki/akmods/certs/public_key.der']);
            await session.shot('kernel-mok-queued');
            // the password never shows in the log of argv
            expect(fs.readFileSync(session.server.logPath, 'utf8')).not.toContain('s3cret-otp');
            await session.open('deployments');
            await session.app.locator('#reboot').click();
            await confirm(session.app, 'deployment-confirm', /restarts into/);
            await session.app.locator('#progress-panel[data-state="succeeded"]').waitFor({ timeout: 30000 });
            expect(await verdict(session)).toBe('healthy');
        } finally {
            await session.close();
        }
    });
});

describe('kernel pinning', () => {
    test('kernel overrides are shown and reset', async () => {
        const session = await openSession({ scenario: 'kernel-pinned-overrides', timeScale: 0.1 });
        try {
            const app = session.app;
            await session.open('kernel');
            await app.locator('#kernel-pinned').waitFor({ timeout: 30000 });
            expect(await app.locator('#kernel-pinned').textContent()).toContain('5.8.15');
            await app.locator('#kernel-reset').click();
            await confirm(app, 'kernel-confirm', /kernel overrides are removed/);
            await app.locator('#kernel-progress[data-state="succeeded"]').waitFor({ timeout: 30000 });
            expect(changes(session).at(-1)).toMatch(/^# rpm-ostree override reset kernel/);
        } finally {
            await session.close();
        }
    });

    test('a pin by override refuses what is not an RPM path or https URL', async () => {
        const session = await openSession({ scenario: 'healthy' });
        try {
            const app = session.app;
            await session.open('kernel');
            await app.locator('#kernel-pin').click();
            await app.locator('#kernel-pin-sources').fill('/tmp/kernel.rpm; reboot\nhttp://example.com/kernel-core-6.8.9-300.fc40.x86_64.rpm');
            expect(await app.locator('#kernel-pin-continue').isDisabled()).toBe(true);
            await app.locator('#kernel-pin-dialog').getByRole('button', { name: 'Cancel' }).click();
            expect(changes(session)).toEqual([]);
        } finally {
            await session.close();
        }
    });

    test('on a container image origin: dated tags with their kernels, and a rebase to one', async () => {
        const session = await openSession({ scenario: 'ublue-dated-tags', timeScale: 0.1 });
        try {
            const app = session.app;
            await session.open('kernel');
            await app.locator('#list-tags').click();
            const table = app.locator('#dated-tags');
            await table.waitFor({ timeout: 30000 });
            const first = table.locator('tr[data-tag]').first();
            const tag = await first.getAttribute('data-tag');
            expect(tag).toMatch(/20\d{6}/);
            await first.getByRole('button', { name: 'Show' }).click();
            const kernel = /^\d+\.\d+\.\d+-\d+\.fc\d+\.x86_64$/;
            expect(await eventually(() => first.locator('[data-field="kernel"]').textContent(), text => kernel.test(text ?? ''), 15000)).toMatch(kernel);
            await session.shot('kernel-dated-tags');
            await first.getByRole('button', { name: 'Rebase to this tag…' }).click();
            await confirm(app, 'kernel-confirm', new RegExp(`switches its origin to ostree-image-signed:docker://ghcr\\.io/ublue-os/bluefin-nvidia:${tag}`));
            await app.locator('#kernel-progress[data-state="succeeded"]').waitFor({ timeout: 60000 });
            expect(changes(session).at(-1)).toBe(`# rpm-ostree rebase ostree-image-signed:docker://ghcr.io/ublue-os/bluefin-nvidia:${tag}`);
        } finally {
            await session.close();
        }
    });
});
