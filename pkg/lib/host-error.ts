// One error type for everything the host can answer badly, so views show
// what happened and what to do next instead of "[object Object]".
import type { BasicError } from 'cockpit';

export type HostErrorKind =
    | 'not-found' // the program or file does not exist on the host
    | 'access-denied' // the host refused: no permission, or administrative access missing
    | 'exit' // the program ran and exited non-zero
    | 'terminated' // the program was killed or the channel closed under it
    | 'timeout' // the program did not answer in time and was stopped
    | 'disconnected' // the Cockpit session is gone
    | 'http' // an HTTP peer answered with an error status
    | 'internal'; // anything else the bridge reported

export class HostError extends Error {
    readonly kind: HostErrorKind;
    /** The command that failed, or the path / URL for files and HTTP. */
    readonly subject: string;
    readonly exitStatus: number | null;
    /** What the tool wrote to stderr (for 'exit'), or the HTTP body. */
    readonly detail: string;
    readonly httpStatus: number | null;

    constructor(kind: HostErrorKind, subject: string, message: string,
                extra: { exitStatus?: number | null, detail?: string, httpStatus?: number | null } = {}) {
        super(message);
        this.name = 'HostError';
        this.kind = kind;
        this.subject = subject;
        this.exitStatus = extra.exitStatus ?? null;
        this.detail = extra.detail ?? '';
        this.httpStatus = extra.httpStatus ?? null;
    }
}

function isBasicError(value: unknown): value is BasicError {
    return typeof value === 'object' && value !== null && 'message' in value;
}

const problemKinds: Record<string, HostErrorKind> = {
    'not-found': 'not-found',
    'access-denied': 'access-denied',
    'not-authorized': 'access-denied',
    'authentication-failed': 'access-denied',
    terminated: 'terminated',
    disconnected: 'disconnected',
    'no-session': 'disconnected',
};

/** Turn whatever cockpit.js rejected with into a HostError about `subject`. */
export function toHostError(subject: string, raw: unknown): HostError {
    if (raw instanceof HostError)
        return raw;
    if (!isBasicError(raw))
        return new HostError('internal', subject, String(raw));

    const message = (raw.message || '').trim();
    if (raw.problem) {
        const kind = problemKinds[raw.problem] ?? 'internal';
        return new HostError(kind, subject, message || raw.problem);
    }
    if (typeof raw.exit_status === 'number' || raw.exit_signal) {
        if (raw.exit_signal)
            return new HostError('terminated', subject, message || raw.exit_signal);
        // cockpit.spawn with err: "message" puts the tool's stderr into message
        return new HostError('exit', subject, message, { exitStatus: raw.exit_status, detail: message });
    }
    if (typeof raw.status === 'number')
        return new HostError('http', subject, raw.reason || message, { httpStatus: raw.status, detail: message });
    return new HostError('internal', subject, message);
}
