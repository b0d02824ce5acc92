import { HostError, toHostError } from './host-error';

test.each([
    [{ problem: 'not-found', message: '' }, 'not-found'],
    [{ problem: 'not-authorized', message: 'x' }, 'access-denied'],
    [{ problem: 'access-denied', message: 'x' }, 'access-denied'],
    [{ problem: 'disconnected', message: 'x' }, 'disconnected'],
    [{ problem: 'terminated', message: 'x' }, 'terminated'],
    [{ problem: 'internal-error', message: 'x' }, 'internal'],
    [{ problem: null, exit_status: 1, message: 'boom' }, 'exit'],
    [{ problem: null, exit_signal: 'TERM', message: '' }, 'terminated'],
    [{ status: 404, reason: 'Not Found', message: 'no such container', problem: null }, 'http'],
])('%j is kind %s', (raw, kind) => {
    const error = toHostError('subject', raw);
    expect(error).toBeInstanceOf(HostError);
    expect(error.kind).toBe(kind);
    expect(error.subject).toBe('subject');
});

test('keeps an HTTP status and body', () => {
    const error = toHostError('/run/podman/podman.sock /v4/info', { problem: null, status: 500, reason: 'Internal', message: '{"cause":"x"}' });
    expect(error.httpStatus).toBe(500);
    expect(error.detail).toBe('{"cause":"x"}');
});

test('anything else becomes an internal error with its text', () => {
    expect(toHostError('s', 'weird')).toMatchObject({ kind: 'internal', message: 'weird' });
    expect(toHostError('s', undefined)).toMatchObject({ kind: 'internal' });
});
