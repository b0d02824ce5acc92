import '@testing-library/jest-dom';
import { escapedHandlerErrors } from './fake-cockpit';

// see escapedHandlerErrors: a handler that throws on a cockpit promise breaks the real page
afterEach(() => {
    const escaped = escapedHandlerErrors.splice(0);
    if (escaped.length > 0)
        throw new Error(`an exception escaped a handler on a cockpit.js promise (cockpit.js does not catch it): ${String(escaped[0])}`);
});
