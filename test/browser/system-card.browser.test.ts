// Each scenario's System card, in a real Cockpit, against the simulated workstation.
import { PROBED_TOOLS } from '../../src/system/capabilities';
import { expectedSystem, listScenarios, toolPresent } from './expectations';
import { openSession, readInvocations, type Session } from './harness';

describe.each(listScenarios())('scenario %s', scenario => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario });
        await session.open();
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the System card shows the OS, kernel and which tools the host lacks', async () => {
        const card = session.app.locator('#system-card');
        await card.locator('[data-field="os"]').waitFor({ timeout: 30000 });
        const expected = expectedSystem(session.server.stateDir);

        const os = await card.locator('[data-field="os"]').textContent();
        if (expected.prettyName)
            expect(os).toContain(expected.prettyName);
        else
            expect(os).toMatch(/no readable \/etc\/os-release/);

        expect(await card.locator('[data-field="kernel"]').textContent()).toBe(expected.kernel ?? 'Unknown');
        const model = await card.locator('[data-field="update-model"]').textContent();
        expect(model).toMatch(expected.ostreeBooted ? /Image-based|ostree-booted/ : /Package-based/);

        for (const tool of PROBED_TOOLS) {
            const cell = card.locator(`[data-tool="${tool}"]`);
            const present = toolPresent(session.server.stateDir, tool);
            expect([tool, await cell.getAttribute('data-present')]).toEqual([tool, present ? 'yes' : 'no']);
            expect(await cell.textContent()).toContain(present ? 'Installed' : 'Not installed');
        }
        await session.shot(`system-card-${scenario}`);
        expect(session.consoleErrors).toEqual([]);
    });

    test('the probe costs no simulated tool invocation: one script, one round trip', async () => {
        // the probe only asks the shell for paths; it must not run the tools themselves.
        // What the Overview's other cards read is their own business (gpus.browser.test.ts,
        // deployments.browser.test.ts).
        const cards = new Set(['nvidia-smi -q -x', 'modinfo nvidia', 'mokutil --sb-state', 'mokutil --list-enrolled', 'lspci -Dnnk',
            'rpm-ostree status --json', 'bootc status --json']);
        const others = readInvocations(session.server.logPath).filter(call => !cards.has([call.tool, ...call.argv].join(' ')));
        expect(others).toEqual([]);
    });
});
