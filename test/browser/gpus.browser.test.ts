// The GPUs tab in a real Cockpit against each GPU scenario of the simulated workstation:
// the verdict and its remedy, the live charts moving, exactly one nvidia-smi stream with
// no process per refresh, and a stream that stalls or dies.
import fs from 'fs';
import path from 'path';
import { openSession, readInvocations, readRunning, type Session } from './harness';

/** scenario → the condition the page must name, and words its remedy must contain. */
const VERDICTS: Record<string, { condition: string, remedy: RegExp }> = {
    'healthy': { condition: 'healthy', remedy: /Nothing to do/ },
    'multi-gpu-mig': { condition: 'healthy', remedy: /Nothing to do/ },
    'driver-mismatch': { condition: 'version-mismatch', remedy: /systemctl reboot.*rpm-ostree rollback/ },
    'no-driver-loaded': { condition: 'driver-not-loaded', remedy: /modprobe nvidia.*rpm-ostree rollback/ },
    'kernel-module-mismatch': { condition: 'module-kernel-mismatch', remedy: /rpm-ostree rollback/ },
    'nouveau-bound': { condition: 'nouveau-bound', remedy: /rpm-ostree kargs --append=rd\.driver\.blacklist=nouveau/ },
    'unsigned-secure-boot': { condition: 'unsigned-module-secure-boot', remedy: /mokutil --import/ },
    'stale-cdi': { condition: 'stale-cdi', remedy: /nvidia-ctk cdi generate --output=\/etc\/cdi\/nvidia\.yaml/ },
    'no-nvidia': { condition: 'nvidia-smi-missing', remedy: /install/i },
};

const scenarios = Object.keys(VERDICTS);

function streams(session: Session) {
    return readRunning(session.server.stateDir).filter(p => p.tool === 'nvidia-smi' && p.argv.some(a => a.startsWith('--query-gpu=')));
}

describe.each(scenarios)('GPUs tab, scenario %s', scenario => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario });
        await session.open('gpus');
    });

    afterAll(async () => {
        await session?.close();
    });

    test('names the condition and says what to do', async () => {
        const card = session.app.locator('#driver-health');
        await card.waitFor({ timeout: 30000 });
        expect(await card.getAttribute('data-condition')).toBe(VERDICTS[scenario].condition);
        const remedy = await card.locator('[data-field="remedy"]').textContent();
        expect(remedy).toMatch(VERDICTS[scenario].remedy);
        await session.shot(`gpus-${scenario}`);
        expect(session.consoleErrors).toEqual([]);
    });

    test('the PCI view or the empty state is there whatever nvidia-smi says', async () => {
        const pci = session.app.locator('#pci-card, #gpus-empty');
        await pci.first().waitFor({ timeout: 10000 });
    });
});

describe('live view (healthy)', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', timeScale: 1 });
        await session.open('gpus');
        await session.app.locator('.aiws-gpu-card').first().waitFor({ timeout: 30000 });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the chart gains points while exactly one stream runs and nothing is spawned per refresh', async () => {
        const chart = session.app.locator('.aiws-gpu-chart').first();
        await chart.waitFor({ timeout: 20000 });
        const before = Number(await chart.getAttribute('data-points'));
        const calls = readInvocations(session.server.logPath).length;
        await session.page.waitForTimeout(7000);
        const after = Number(await chart.getAttribute('data-points'));
        expect(after).toBeGreaterThanOrEqual(before + 2);
        expect(streams(session)).toHaveLength(1);
        // finished invocations did not grow: no process per refresh
        expect(readInvocations(session.server.logPath).length).toBe(calls);
        await session.shot('gpus-live-healthy');
    });

    test('a stalled stream is marked stale and the values stay', async () => {
        const faults = path.join(session.server.stateDir, 'scenario', 'gpu-faults.json');
        fs.writeFileSync(faults, JSON.stringify({ stream: 'stall' }));
        await session.app.locator('#live-stale').waitFor({ timeout: 20000 });
        expect(await session.app.locator('.aiws-gpu-card [data-field="stale"]').count()).toBeGreaterThan(0);
        expect(await session.app.locator('.aiws-gpu-card [data-field="temperature"]').first().textContent()).toMatch(/°C/);
        await session.shot('gpus-live-stalled');
        fs.writeFileSync(faults, JSON.stringify({ stream: 'ok' }));
    });
});

describe('the verdict outside the GPUs tab (kernel-module-mismatch)', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'kernel-module-mismatch' });
        await session.open('overview');
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the Overview\'s GPU card says it in one line and leads to the GPUs tab', async () => {
        const verdict = session.app.locator('#gpu-summary-card #gpu-verdict');
        await verdict.waitFor({ timeout: 30000 });
        expect(await verdict.getAttribute('data-condition')).toBe('module-kernel-mismatch');
        expect(await verdict.textContent()).toContain('No NVIDIA module for the running kernel');
        await session.shot('overview-gpu-broken');
        await session.app.getByRole('button', { name: 'Open GPUs' }).click();
        await session.app.locator('#driver-health').waitFor({ timeout: 30000 });
        expect(session.page.url()).toMatch(/#\/gpus$/);
    });

    test('Cockpit\'s menu shows an error beside the entry (page status)', async () => {
        // the shell names the status element after the entry's label and the status type
        const status = session.page.locator('#ai-workstation-error');
        await status.waitFor({ timeout: 10000 });
        await status.hover();
        const tooltip = session.page.getByRole('tooltip');
        await tooltip.waitFor({ timeout: 5000 });
        expect(await tooltip.textContent()).toBe('GPU: No NVIDIA module for the running kernel');
        expect(session.consoleErrors).toEqual([]);
    });
});
