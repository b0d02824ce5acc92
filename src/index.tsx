import '@patternfly/react-core/dist/styles/base.css';
import './fonts.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { followShellStyle } from '../pkg/lib/dark-theme';
import { App } from './app/App';

followShellStyle();

document.addEventListener('DOMContentLoaded', () => {
    const container = document.getElementById('app');
    if (container)
        createRoot(container).render(<App />);
});
