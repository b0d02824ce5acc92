import '@patternfly/react-core/dist/styles/base.css';
import './fonts.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { followShellStyle } from '../pkg/lib/dark-theme';
import { App } from './app/App';
import { probeHost } from './system/probe';
import type { HostCapabilities } from './system/capabilities';

followShellStyle();

// The probe's round trip starts before React's first render instead of after it.
const firstProbe = probeHost();
let firstUsed = false;
function probe(): Promise<HostCapabilities> {
    if (firstUsed)
        return probeHost();
    firstUsed = true;
    return firstProbe;
}

function start() {
    const container = document.getElementById('app');
    if (container)
        createRoot(container).render(<App probe={probe} />);
}

// index.js is a deferred script, so the document is normally parsed by now
if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', start);
else
    start();
