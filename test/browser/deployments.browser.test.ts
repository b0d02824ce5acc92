// The Deployments tab in a real Cockpit against the simulated rpm-ostree, ostree, bootc
// and systemctl, which keep state like the real tools: every action is confirmed, the
// simulator receives exactly its argv as root, and the page shows the host afterwards,
// including after a simulated reboot. Changes made outside the page show up on their own.
import { spawn, spawnSync } from 'child_process';
import { openSession, readInvocations, simEnv, type Session, type ToolInvocation } from './harness';

type AppFrame = Session['app'];

function calls(session: Session, tool: string, first?: string): ToolInvocation[] {
    return readInvocations(session.server.logPath).filter(c => c.tool === tool && (first === undefined || c.argv[0] === first));
}

/** The changes of this page: everything but reads. */
function changes(session: Session): ToolInvocation[] {
    const reads = new Set(['rpm-ostree status --json', 'bootc status --json']);
    return readInvocations(session.server.logPath)
            .filter(c => ['rpm-ostree', 'ostree', 'bootc', 'systemctl'].includes(c.tool))
            .filter(c => !reads.has([c.tool, ...c.argv].join(' ')) && !(c.tool === 'rpm-ostree' && c.argv[0] === 'db'));
}

function row(app: AppFrame, index: number) {
    return app.locator(`#deployments-table tr[data-deployment="${index}"]`);
}

async function rowAction(app: AppFrame, index: number, name: string) {
    await row(app, index).locator('td.pf-v6-c-table__action button').click();
    return app.getByRole('menuitem', { name });
}

async function confirm(app: AppFrame, expectText: RegExp) {
    const dialog = app.locator('#deployment-confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(expectText);
    await dialog.locator('button[data-confirm-step]').click();
}

/** Runs one of the simulated tools as another admin would, from a shell on the host. */
function asAnotherAdmin(session: Session, argv: string[]) {
    const result = spawnSync(argv[0], argv.slice(1), { env: simEnv(session.server.stateDir), encoding: 'utf8' });
    expect(result.status).toBe(0);
}

describe('healthy: look, pin, roll back, reboot', () => {
    let session: Session;
    let app: AppFrame;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', timeScale: 0.1 });
        await session.open('deployments');
        app = session.app;
        await app.locator('#deployments-table').waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('every deployment with what it is to the next boot, and its details', async () => {
        expect(await app.locator('#deployments-table tr[data-deployment]').count()).toBe(2);
        expect(await row(app, 0).getAttribute('data-booted')).toBe('true');
        expect(await row(app, 0).locator('[data-field="version"]').textContent()).toBe('33.21');
        expect(await row(app, 0).locator('[data-mark="booted"]').count()).toBe(1);
        expect(await row(app, 1).locator('[data-mark="rollback-target"]').count()).toBe(1);
        await row(app, 0).locator('button[id^="deployment-0"], td button').first().click();
        const details = app.locator('[data-deployment="0"] [data-field="replaced"]');
        await details.waitFor();
        expect(await details.textContent()).toContain('rpm-ostree-2021.1-2.fc33.x86_64 replaces rpm-ostree-2021.1-3.fc33.x86_64');
        expect(await app.locator('dl[data-deployment="0"] [data-field="layered"] li').count()).toBe(16);
        await session.shot('deployments-healthy');
        expect(session.consoleErrors).toEqual([]);
    });

    test('the running deployment cannot be deleted, and the menu says why', async () => {
        const item = await rowAction(app, 0, 'Delete');
        expect(await item.getAttribute('aria-disabled')).toBe('true');
        await session.page.keyboard.press('Escape');
    });

    test('pin: confirmed, run as root, shown at once', async () => {
        await (await rowAction(app, 1, 'Pin')).click();
        await confirm(app, /kept when updates and clean-ups remove old deployments/);
        await app.locator('#deployments-table tr[data-deployment="1"][data-pinned="true"]').waitFor({ timeout: 15000 });
        expect(calls(session, 'ostree').at(-1)).toMatchObject({ argv: ['admin', 'pin', '1'], admin: true, exit: 0 });
    });

    test('deleting a pinned deployment asks twice; cancelling changes nothing', async () => {
        const before = changes(session).length;
        await (await rowAction(app, 1, 'Delete')).click();
        const dialog = app.locator('#deployment-confirm');
        await dialog.locator('button[data-confirm-step="1"]').click();
        await dialog.locator('button[data-confirm-step="2"]').waitFor();
        expect(await dialog.textContent()).toMatch(/is pinned/);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
        expect(changes(session).length).toBe(before);
    });

    test('unpin', async () => {
        await (await rowAction(app, 1, 'Unpin')).click();
        await confirm(app, /may then remove it/);
        await app.locator('#deployments-table tr[data-deployment="1"][data-pinned="false"]').waitFor({ timeout: 15000 });
        expect(calls(session, 'ostree').at(-1)).toMatchObject({ argv: ['admin', 'pin', '--unpin', '1'], admin: true });
    });

    test('the package changes against the running deployment, with a filter', async () => {
        await (await rowAction(app, 1, 'Compare packages')).click();
        const list = app.locator('#package-diff-list');
        await list.waitFor({ timeout: 15000 });
        expect(await app.locator('#package-diff-from').inputValue()).toContain('63335a77');
        expect(await list.locator('tr[data-package]').first().getAttribute('data-category')).toBe('nvidia');
        await list.locator('input').fill('cuda-libs');
        expect(await list.locator('tr[data-package]').count()).toBe(1);
        const diff = calls(session, 'rpm-ostree', 'db').at(-1)!;
        expect(diff.argv).toEqual(['db', 'diff', expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
        // (the viewer session below shows reads need no root: this session's bridge is root for all)
        await session.shot('deployments-diff');
        await app.locator('#package-diff button[aria-label="Close"]').click();
    });

    test('a rebase target with shell characters is refused before anything runs', async () => {
        const before = changes(session).length;
        await app.locator('#rebase').click();
        const input = app.locator('#rebase-dialog-value');
        await input.fill('fedora:fedora/34/x86_64/silverblue; systemctl reboot');
        await app.locator('#rebase-dialog-error').waitFor();
        expect(await app.locator('#rebase-dialog button', { hasText: 'Continue' }).isDisabled()).toBe(true);
        await app.locator('#rebase-dialog').getByRole('button', { name: 'Cancel' }).click();
        expect(changes(session).length).toBe(before);
    });

    test('roll back: the previous deployment becomes the default for the next boot, the running one is unchanged', async () => {
        await app.locator('#rollback').click();
        await confirm(app, /33\.17 \(deployment 1\) becomes the default for the next boot/);
        const notice = app.locator('#reboot-pending');
        await notice.waitFor({ timeout: 15000 });
        expect(await notice.textContent()).toContain('33.17');
        expect(calls(session, 'rpm-ostree', 'rollback').at(-1)).toMatchObject({ argv: ['rollback'], admin: true, exit: 0 });
        expect(await app.locator('#deployments-table tr[data-booted="true"] [data-field="version"]').textContent()).toBe('33.21');
        await session.shot('deployments-rolled-back');
    });

    test('reboot is its own confirmed action; afterwards 33.17 runs', async () => {
        await app.locator('#reboot-now').click();
        await confirm(app, /restarts into 33\.17/);
        await app.locator('#deployments-table tr[data-booted="true"][data-deployment="0"]').waitFor({ timeout: 15000 });
        expect(await app.locator('#deployments-table tr[data-booted="true"] [data-field="version"]').textContent()).toBe('33.17');
        expect(calls(session, 'systemctl').at(-1)).toMatchObject({ argv: ['reboot'], admin: true, exit: 0 });
        expect(await app.locator('#reboot-pending').count()).toBe(0);
    });

    test('a change made outside the page shows up within 5 s, without a reload', async () => {
        asAnotherAdmin(session, ['ostree', 'admin', 'pin', '1']);
        await app.locator('#deployments-table tr[data-deployment="1"][data-pinned="true"]').waitFor({ timeout: 5000 });
    });

    test('deploy a version: checked as typed, staged for the next boot', async () => {
        await app.locator('#deploy-version').click();
        const input = app.locator('#deploy-dialog-value');
        await input.fill('--reboot');
        await app.locator('#deploy-dialog-error').waitFor();
        await input.fill('34.20210905.0');
        await app.locator('#deploy-dialog').getByRole('button', { name: 'Continue' }).click();
        await confirm(app, /34\.20210905\.0 is downloaded and staged as the new default/);
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 30000 });
        expect(await app.locator('#deployments-table tr[data-staged="true"] [data-field="version"]').textContent()).toBe('34.20210905.0');
        expect(calls(session, 'rpm-ostree', 'deploy').at(-1)).toMatchObject({ argv: ['deploy', '34.20210905.0'], admin: true, exit: 0 });
    });

    test('clean up: only what exists can be picked, and it says what goes', async () => {
        await app.locator('#cleanup').click();
        await app.locator('#cleanup-pending').check();
        await app.locator('#cleanup-cache').check();
        await app.locator('#cleanup-dialog').getByRole('button', { name: 'Continue' }).click();
        await confirm(app, /The pending \(staged\) deployment is removed.*Cached update metadata is removed/);
        await app.locator('#progress-panel[data-state="succeeded"]').waitFor({ timeout: 15000 });
        expect(calls(session, 'rpm-ostree', 'cleanup').at(-1)).toMatchObject({ argv: ['cleanup', '--pending', '--repomd'], admin: true });
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ state: 'detached', timeout: 15000 });
    });

    test('delete a pinned deployment: both confirmations, then it is gone', async () => {
        const before = await app.locator('#deployments-table tr[data-deployment]').count();
        await (await rowAction(app, 1, 'Delete')).click();
        const dialog = app.locator('#deployment-confirm');
        await dialog.locator('button[data-confirm-step="1"]').click();
        await dialog.locator('button[data-confirm-step="2"]').click();
        await app.locator('#deployments-table tr[data-deployment]').nth(before - 1).waitFor({ state: 'detached', timeout: 15000 });
        expect(calls(session, 'ostree', 'admin').at(-1)).toMatchObject({ argv: ['admin', 'undeploy', '1'], admin: true, exit: 0 });
    });

    test('rebase to another branch: staged with its new origin', async () => {
        await app.locator('#rebase').click();
        await app.locator('#rebase-dialog-value').fill('fedora:fedora/34/x86_64/silverblue');
        await app.locator('#rebase-dialog').getByRole('button', { name: 'Continue' }).click();
        await confirm(app, /switches its origin to fedora:fedora\/34\/x86_64\/silverblue/);
        const staged = app.locator('#deployments-table tr[data-staged="true"]');
        await staged.waitFor({ timeout: 30000 });
        expect(await staged.locator('[data-field="origin"]').textContent()).toBe('fedora/34/x86_64/silverblue');
        expect(calls(session, 'rpm-ostree', 'rebase').at(-1)).toMatchObject({ argv: ['rebase', 'fedora:fedora/34/x86_64/silverblue'], admin: true, exit: 0 });
        expect(session.consoleErrors).toEqual([]);
    });
});

describe('update-available: check, look at the changes, stage', () => {
    let session: Session;
    let app: AppFrame;

    beforeAll(async () => {
        session = await openSession({ scenario: 'update-available', timeScale: 0.3 });
        await session.open('deployments');
        app = session.app;
        await app.locator('#deployments-table').waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the check names the new version', async () => {
        await app.locator('#check-updates').click();
        await app.locator('#update-available').waitFor({ timeout: 30000 });
        expect(await app.locator('#update-available').textContent()).toContain('33.20210301.0');
        expect(calls(session, 'rpm-ostree', 'upgrade').at(-1)).toMatchObject({ argv: ['upgrade', '--check'], admin: true });
    });

    test('the package changes put the kernel and NVIDIA first and filter', async () => {
        await app.locator('#preview-update').click();
        const list = app.locator('#update-packages');
        await list.waitFor({ timeout: 30000 });
        const categories = await list.locator('tr[data-package]').evaluateAll(rows => rows.map(r => r.getAttribute('data-category')));
        expect(categories.slice(0, 4)).toEqual(['kernel', 'kernel', 'kernel', 'kernel']);
        expect(categories.indexOf('nvidia')).toBeGreaterThan(0);
        await list.locator('input').fill('nvidia');
        expect(await list.locator('tr[data-package]').evaluateAll(rows => rows.every(r => r.getAttribute('data-category') === 'nvidia'))).toBe(true);
        await session.shot('deployments-update-preview');
    });

    test('stage: the output streams while it runs; the update waits for the next boot', async () => {
        await app.locator('#stage-update').click();
        await confirm(app, /The running system does not change/);
        const panel = app.locator('#progress-panel');
        await panel.locator('pre', { hasText: 'Receiving objects' }).waitFor({ timeout: 30000 });
        await app.locator('#progress-panel[data-state="succeeded"]').waitFor({ timeout: 60000 });
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 15000 });
        expect(await app.locator('#deployments-table tr[data-staged="true"] [data-field="version"]').textContent()).toBe('33.20210301.0');
        expect(await app.locator('#deployments-table tr[data-booted="true"] [data-field="version"]').textContent()).toBe('33.21');
        expect(await app.locator('#update-staged').textContent()).toContain('33.20210301.0');
        expect(calls(session, 'rpm-ostree', 'upgrade').at(-1)).toMatchObject({ argv: ['upgrade'], admin: true, exit: 0 });
        await session.shot('deployments-staged');
    });

    test('while a deployment is staged, Roll back says why it waits', async () => {
        expect(await app.locator('#rollback').getAttribute('aria-disabled')).toBe('true');
    });
});

describe('upgrade-fails: a failure midway changes nothing and says why', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'upgrade-fails', timeScale: 0.2 });
        await session.open('deployments');
        await session.app.locator('#deployments-table').waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the tool\'s error is shown, the list is as before', async () => {
        const app = session.app;
        await app.locator('#check-updates').click();
        await app.locator('#stage-update').waitFor({ timeout: 30000 });
        await app.locator('#stage-update').click();
        await confirm(app, /Stage the update/);
        await app.locator('#progress-panel[data-state="failed"]').waitFor({ timeout: 60000 });
        expect(await app.locator('#progress-panel [data-field="failure"]').textContent()).toMatch(/Timeout was reached/);
        expect(await app.locator('#deployments-table tr[data-deployment]').count()).toBe(2);
        expect(await app.locator('#deployments-table tr[data-staged="true"]').count()).toBe(0);
        await session.shot('deployments-upgrade-failed');
        expect(session.consoleErrors).toEqual([]);
    });
});

describe('transaction-running: started elsewhere, blocks, ends by itself', () => {
    let session: Session;

    beforeAll(async () => {
        // 20 s of automatic update staging at 0.5: 10 s
        session = await openSession({ scenario: 'transaction-running', timeScale: 0.5 });
        await session.open('deployments');
        await session.app.locator('#deployments-table').waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('it is shown and conflicting actions wait; when it ends the staged update appears without a reload', async () => {
        const app = session.app;
        const alert = app.locator('#transaction-running');
        await alert.waitFor({ timeout: 10000 });
        expect(await alert.textContent()).toContain('an automatic update');
        expect(await app.locator('#check-updates').getAttribute('aria-disabled')).toBe('true');
        expect(await app.locator('#rollback').getAttribute('aria-disabled')).toBe('true');
        await session.shot('deployments-transaction-running');
        await alert.waitFor({ state: 'detached', timeout: 30000 });
        await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 5000 });
    });
});

describe('transactions from outside the page', () => {
    test('an upgrade started on the command line shows as running and its result appears when it ends', async () => {
        const session = await openSession({ scenario: 'update-available' });
        try {
            await session.open('deployments');
            const app = session.app;
            await app.locator('#deployments-table').waitFor({ timeout: 30000 });
            const cli = spawn('rpm-ostree', ['upgrade'], { env: simEnv(session.server.stateDir), stdio: 'ignore' });
            const ended = new Promise<number | null>(resolve => cli.once('exit', code => resolve(code)));
            await app.locator('#transaction-running').waitFor({ timeout: 5000 });
            expect(await app.locator('#check-updates').getAttribute('aria-disabled')).toBe('true');
            expect(await ended).toBe(0);
            await app.locator('#transaction-running').waitFor({ state: 'detached', timeout: 5000 });
            await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 5000 });
        } finally {
            await session.close();
        }
    });

    test('Cancel stops a transaction started elsewhere, and nothing is staged', async () => {
        const session = await openSession({ scenario: 'transaction-running' });
        try {
            await session.open('deployments');
            const app = session.app;
            await app.locator('#transaction-running').waitFor({ timeout: 30000 });
            await app.locator('#transaction-running').getByRole('button', { name: 'Cancel transaction' }).click();
            await confirm(app, /rpm-ostree stops an automatic update/);
            await app.locator('#transaction-running').waitFor({ state: 'detached', timeout: 10000 });
            expect(calls(session, 'rpm-ostree', 'cancel').at(-1)).toMatchObject({ argv: ['cancel'], admin: true, exit: 0 });
            expect(await app.locator('#deployments-table tr[data-staged="true"]').count()).toBe(0);
        } finally {
            await session.close();
        }
    });
});

describe('without administrative access', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', user: 'viewer' });
        await session.open('deployments');
        await session.app.locator('#deployments-table').waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('everything is shown, nothing can be changed, and the page says why', async () => {
        const app = session.app;
        expect(await app.locator('#deployments-table tr[data-deployment]').count()).toBe(2);
        for (const id of ['#check-updates', '#rebase', '#cleanup', '#rollback', '#reboot'])
            expect(await app.locator(id).getAttribute('aria-disabled')).toBe('true');
        const pin = await rowAction(app, 1, 'Pin');
        expect(await pin.getAttribute('aria-disabled')).toBe('true');
        await pin.hover();
        await app.getByRole('tooltip').waitFor();
        expect(await app.getByRole('tooltip').textContent()).toMatch(/administrative access/);
        await session.page.keyboard.press('Escape');
        expect(readInvocations(session.server.logPath).filter(c => c.admin)).toEqual([]);
        await session.shot('deployments-viewer');
    });
});

describe('other hosts', () => {
    test('bootc-only: the same list from bootc, without what bootc cannot do', async () => {
        const session = await openSession({ scenario: 'bootc-only' });
        try {
            await session.open('deployments');
            const app = session.app;
            await app.locator('#deployments-page[data-tool="bootc"]').waitFor({ timeout: 30000 });
            expect(await app.locator('#deployments-table tr[data-booted="true"]').count()).toBe(1);
            expect(await app.locator('#deploy-version').count()).toBe(0);
            expect(await app.locator('#cleanup').count()).toBe(0);
            expect(calls(session, 'bootc', 'status').at(-1)).toMatchObject({ admin: true, exit: 0 });
            await session.shot('deployments-bootc-only');
            // bootc's update: checked and staged by bootc itself
            await app.locator('#check-updates').click();
            await app.locator('#update-available').waitFor({ timeout: 30000 });
            await app.locator('#stage-update').click();
            await confirm(app, /Stage the update/);
            await app.locator('#deployments-table tr[data-staged="true"]').waitFor({ timeout: 60000 });
            expect(calls(session, 'bootc', 'upgrade').map(c => c.argv)).toEqual([['upgrade', '--check'], ['upgrade']]);
            expect(calls(session, 'rpm-ostree')).toEqual([]);
        } finally {
            await session.close();
        }
    });

    test('a container image origin shows the image and how it is verified', async () => {
        const session = await openSession({ scenario: 'container-origin' });
        try {
            await session.open('deployments');
            const app = session.app;
            await app.locator('#deployments-table').waitFor({ timeout: 30000 });
            expect(await row(app, 0).locator('[data-field="origin"]').textContent()).toContain('quay.io/fedora/fedora-coreos:testing');
            await row(app, 0).locator('td button').first().click();
            expect(await app.locator('dl[data-deployment="0"] [data-field="origin"]').textContent()).toContain('verified with the keys of remote fedora');
            expect(await row(app, 0).locator('[data-field="kernel"]').textContent()).toBe('6.12.7-200.fc41.x86_64');
        } finally {
            await session.close();
        }
    });

    test('a host installed from packages says there is nothing to manage', async () => {
        const session = await openSession({ scenario: 'not-ostree' });
        try {
            await session.open('deployments');
            await session.app.locator('#deployments-unsupported').waitFor({ timeout: 30000 });
            expect(calls(session, 'rpm-ostree')).toEqual([]);
        } finally {
            await session.close();
        }
    });

    test('the Overview card: running, next boot, rollback target', async () => {
        const session = await openSession({ scenario: 'healthy' });
        try {
            await session.open('overview');
            const card = session.app.locator('#deployments-summary-card');
            await card.locator('[data-field="booted"]').waitFor({ timeout: 30000 });
            expect(await card.locator('[data-field="booted"]').textContent()).toBe('33.21');
            expect(await card.locator('[data-field="rollback"]').textContent()).toBe('33.17');
        } finally {
            await session.close();
        }
    });
});
