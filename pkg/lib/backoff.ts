// When a long-lived stream dies, start it again, but later each time it dies quickly,
// so a broken driver does not turn the page into a process fork loop.

export interface BackoffPolicy {
    firstMs: number;
    maxMs: number;
    /** A run at least this long counts as healthy and resets the delay. */
    healthyAfterMs: number;
}

export const STREAM_BACKOFF: BackoffPolicy = { firstMs: 1000, maxMs: 30000, healthyAfterMs: 60000 };

export class Backoff {
    private failures = 0;

    constructor(private readonly policy: BackoffPolicy = STREAM_BACKOFF) {}

    /** The delay before the next start, given how long the last run lasted. */
    next(ranForMs: number): number {
        if (ranForMs >= this.policy.healthyAfterMs)
            this.failures = 0;
        const delay = Math.min(this.policy.maxMs, this.policy.firstMs * 2 ** this.failures);
        this.failures++;
        return delay;
    }

    get attempts(): number {
        return this.failures;
    }

    reset(): void {
        this.failures = 0;
    }
}
