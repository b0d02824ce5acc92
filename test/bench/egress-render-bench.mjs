// `make bench`, Network egress: time to render 10,000 connections. The live connections
// table (src/egress/ConnectionsTable.tsx) in a page built for the bench only
// (test/bench/egress-render/: entry.tsx, build.ts), served over HTTP from 127.0.0.1 the way
// Cockpit lays out a package (so src/fonts.css would find /cockpit/static/fonts) and opened
// in the bench's Chromium; the page times itself (performance.now()) and answers JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const PAGE_DIR = '/cockpit/@localhost/ai-workstation/';
const FONTS_DIR = '/cockpit/static/fonts/';
const COCKPIT_FONTS = '/usr/share/cockpit/static/fonts';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2' };

function serve(pageDir) {
    const server = http.createServer((request, response) => {
        const url = new URL(request.url, 'http://localhost');
        const [dir, prefix] = url.pathname.startsWith(PAGE_DIR) ? [pageDir, PAGE_DIR] : [COCKPIT_FONTS, FONTS_DIR];
        const name = path.basename(url.pathname.slice(prefix.length) || 'index.html');
        const file = path.join(dir, name);
        if (!url.pathname.startsWith(prefix) || !fs.existsSync(file)) {
            response.writeHead(404).end();
            return;
        }
        response.writeHead(200, { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(response);
    });
    return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Builds the page, opens it in a fresh context of `browser` and runs its measurements. */
export async function measureEgressRender({ browser, log, workRoot, repoRoot, runs }) {
    const outDir = fs.mkdtempSync(path.join(workRoot, 'egress-render-'));
    log('egress: building the connections table page…');
    execFileSync(process.execPath, ['-r', 'ts-node/register', path.join(repoRoot, 'test/bench/egress-render/build.ts'), outDir],
        { cwd: repoRoot, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const server = await serve(outDir);
    let context = null;
    try {
        context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', error => errors.push(error.message));
        await page.goto(`http://127.0.0.1:${server.address().port}${PAGE_DIR}index.html`, { waitUntil: 'load' });
        await page.waitForFunction(() => window.aiwsEgressRenderBench !== undefined); /* global window */
        const result = await page.evaluate(n => window.aiwsEgressRenderBench.run(n), runs);
        if (errors.length > 0)
            throw new Error(`the page failed: ${errors.join('; ')}`);
        const m = key => `${result[key].medianMs} ms`;
        log(`egress: ${result.connections} connections: first render ${m('firstRender')}, new snapshot ${m('newSnapshot')}, next page ${m('nextPage')}`);
        return result;
    } finally {
        await context?.close().catch(() => undefined);
        await new Promise(resolve => server.close(resolve));
    }
}

/** bench/README.md rows of measureEgressRender's result. */
export function egressRenderRows(render) {
    if (!render)
        return [];
    if (render.error)
        return [['Network egress: render 10,000 connections', `not measured: ${render.error}`, '-', '-']];
    const n = render.connections.toLocaleString('en-US');
    const value = t => `median ${t.medianMs} ms (runs ${t.runsMs.join(', ')}; committed after ${t.commitMedianMs} ms)`;
    const painted = 'then until the frame after is drawn (requestAnimationFrame, then a task); "committed": until React has put the rows in the document';
    return [
        [`Network egress: render ${n} connections`, `${value(render.firstRender)}; first in a fresh page ${render.firstRender.warmUpMs} ms`, '-',
            `ConnectionsTable (src/egress/ConnectionsTable.tsx) in headless Chromium, 1280×900, with the package's CSS and production React (test/bench/egress-render): ` +
            `${n} connections from the recorded ss lines (test/fixtures/ss/ss-tunapH-e-6.1-workstation.txt) repeated on other ports, ` +
            `${render.inbound} of them incoming and hidden; from root.render to its first page of ${render.rowsPerPage} rows (${render.pages} pages), ` +
            `${painted}; a fresh root each run, 1 warm-up (the first in the page)`],
        [`Network egress: new snapshot of ${n} connections`, value(render.newSnapshot), '-',
            'the same table mounted, given the next snapshot (the same sockets read again: new objects, as the tab gets every 2 s) until its page is committed and drawn; 1 warm-up'],
        [`Network egress: next page of ${n} connections`, value(render.nextPage), '-',
            `a click on "Go to next page" until the next ${render.rowsPerPage} rows are committed and drawn; 1 warm-up`],
    ];
}
