// The package inside Cockpit's shell: menu entry, search keywords, deep links, back
// button, German, and the read-only notice of a session without administrative access.
import { openSession, type Session } from './harness';

describe('in the Cockpit shell', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy' });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the menu has one "AI workstation" entry', async () => {
        await session.open();
        const entries = session.page.locator('#host-apps a', { hasText: 'AI workstation' });
        await entries.first().waitFor();
        expect(await entries.count()).toBe(1);
        expect(await entries.first().getAttribute('href')).toMatch(/ai-workstation$/);
        await session.shot('shell-menu');
    });

    test.each(['gpu', 'nvidia', 'cuda', 'ostree', 'deployment', 'kernel', 'driver', 'model', 'llm', 'egress'])(
        'searching the menu for "%s" finds the page', async keyword => {
            await session.open();
            const search = session.page.locator('#host-apps input[type="search"], #host-apps input').first();
            await search.fill(keyword);
            const hit = session.page.locator('#host-apps a', { hasText: 'AI workstation' });
            await hit.first().waitFor({ timeout: 10000 });
            expect(await hit.count()).toBe(1);
            // a word that is no keyword finds nothing, so the match above is the keywords' doing
            await search.fill('zzzznotakeyword');
            await hit.first().waitFor({ state: 'detached', timeout: 10000 });
            if (keyword === 'nvidia')
                await session.shot('shell-search');
            await search.fill('');
        });

    test('a deep link opens its tab, and back returns to the previous page', async () => {
        await session.open('overview');
        await session.app.locator('#system-card').waitFor();
        expect(await session.app.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
        expect(session.page.url()).toMatch(/\/ai-workstation#\/overview$/);

        await session.open('no-such-area');
        const notFound = session.app.locator('#not-found');
        await notFound.waitFor();
        expect(await notFound.textContent()).toContain('no-such-area');
        await session.shot('deep-link-not-found');

        await session.app.getByRole('button', { name: 'Go to Overview' }).click();
        await session.app.locator('#system-card').waitFor();
        await session.page.waitForURL(/\/ai-workstation#\/overview$/);

        await session.page.goBack();
        await session.page.waitForURL(/\/ai-workstation#\/no-such-area$/);
        await notFound.waitFor();
        await session.page.goForward();
        await session.page.waitForURL(/\/ai-workstation#\/overview$/);
        await session.app.locator('#system-card').waitFor();
        expect(session.consoleErrors).toEqual([]);
    });

    test('reloading keeps the page working', async () => {
        await session.open('overview');
        await session.app.locator('[data-field="kernel"]').waitFor();
        await session.page.reload();
        await session.app.locator('[data-field="kernel"]').waitFor({ timeout: 30000 });
        expect(session.consoleErrors).toEqual([]);
    });

    test('a second tab of the same browser works too', async () => {
        const second = await session.context.newPage();
        await second.goto(`${session.server.pageUrl}#/overview`);
        await second.frameLocator('iframe[name="cockpit1:localhost/ai-workstation"]').locator('[data-field="kernel"]').waitFor({ timeout: 30000 });
        await second.close();
    });

    test('another browser gets in too, without a login page', async () => {
        const other = await session.browser.newContext();
        const page = await other.newPage();
        await page.goto(`${session.server.pageUrl}#/overview`);
        await page.frameLocator('iframe[name="cockpit1:localhost/ai-workstation"]').locator('[data-field="kernel"]').waitFor({ timeout: 30000 });
        expect(await page.locator('#login').count()).toBe(0);
        await other.close();
    });

    test('an admin session shows no read-only notice', async () => {
        await session.open('overview');
        await session.app.locator('[data-field="admin"]', { hasText: 'Available' }).waitFor();
        expect(await session.app.locator('#read-only-notice').count()).toBe(0);
    });
});

describe('a session without administrative access', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', user: 'viewer' });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('shows the read-only notice and still shows the system', async () => {
        await session.open('overview');
        const notice = session.app.locator('#read-only-notice');
        await notice.waitFor({ timeout: 30000 });
        expect(await notice.textContent()).toContain('administrative access');
        await session.app.locator('[data-field="admin"]', { hasText: 'Not available' }).waitFor();
        await session.app.locator('[data-field="kernel"]').waitFor();
        await session.shot('read-only-viewer');
        expect(session.consoleErrors).toEqual([]);
    });
});

describe('in German', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', language: 'de-de' });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('the page speaks German', async () => {
        await session.open('overview');
        await session.app.locator('#system-card').waitFor({ timeout: 30000 });
        await session.app.getByRole('tab', { name: 'Überblick' }).waitFor();
        // the card shows "Host wird geprüft" until the probe answers: wait for its facts
        await session.app.locator('#system-card [data-field="os"]').waitFor({ timeout: 30000 });
        expect(await session.app.locator('#system-card').textContent()).toContain('Betriebssystem');
        await session.shot('german');
        expect(session.consoleErrors).toEqual([]);
    });
});

describe('in the dark theme', () => {
    let session: Session;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', dark: true });
    });

    afterAll(async () => {
        await session?.close();
    });

    test('follows the browser\'s dark preference and Cockpit\'s style switch', async () => {
        await session.open('overview');
        await session.app.locator('[data-field="kernel"]').waitFor({ timeout: 30000 });
        const frame = await session.appFrame();
        const isDark = () => frame.evaluate(() => document.documentElement.classList.contains('pf-v6-theme-dark'));
        expect(await isDark()).toBe(true);
        await session.shot('dark-theme');
        // the shell keeps the admin's choice in localStorage; an explicit "light" wins over the browser
        await session.page.evaluate(() => {
            window.localStorage.setItem('shell:style', 'light');
            for (const iframe of Array.from(document.querySelectorAll('iframe')))
                iframe.contentWindow?.dispatchEvent(new CustomEvent('cockpit-style', { detail: { style: 'light' } }));
        });
        await frame.waitForFunction(() => !document.documentElement.classList.contains('pf-v6-theme-dark'));
        expect(session.consoleErrors).toEqual([]);
    });
});
