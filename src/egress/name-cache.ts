// Bounded, expiring memory of host names by address, so that a busy host's connections do
// not turn into a lookup storm: at most `capacity` addresses (least recently used leave
// first), an answer or a miss kept for `ttlMs`, and at most `batch` addresses asked at once.
// Names from the endpoint list's forward lookups take precedence: they are the names the
// flags are about; then the names programs asked systemd-resolved for (observe), which beat
// reverse DNS (a CDN's machine name); reverse lookups last. Pure (time comes in as an argument).
export interface NameCacheOptions {
    capacity?: number;
    ttlMs?: number;
    batch?: number;
}

interface Entry {
    name: string | null;
    at: number;
}

export class NameCache {
    private readonly entries = new Map<string, Entry>();
    private readonly pending = new Set<string>();
    private forward = new Map<string, string>();
    /** address → the name a program looked up, newest last (bounded like entries). */
    private readonly observed = new Map<string, string>();
    readonly capacity: number;
    readonly ttlMs: number;
    readonly batch: number;

    constructor(options: NameCacheOptions = {}) {
        this.capacity = options.capacity ?? 2048;
        this.ttlMs = options.ttlMs ?? 10 * 60_000;
        this.batch = options.batch ?? 32;
    }

    name(address: string): string | null {
        const known = this.forward.get(address) ?? this.observed.get(address);
        if (known)
            return known;
        const entry = this.entries.get(address);
        if (!entry)
            return null;
        // refresh its place: recently shown addresses stay
        this.entries.delete(address);
        this.entries.set(address, entry);
        return entry.name;
    }

    /** The addresses to look up now (not known, not expired, not already asked), at most `batch`; marks them asked. */
    toLookUp(addresses: Iterable<string>, now: number): string[] {
        const wanted: string[] = [];
        for (const address of addresses) {
            if (wanted.length >= this.batch)
                break;
            if (this.forward.has(address) || this.observed.has(address) || this.pending.has(address) || wanted.includes(address))
                continue;
            const entry = this.entries.get(address);
            if (entry && now - entry.at < this.ttlMs)
                continue;
            wanted.push(address);
        }
        wanted.forEach(address => this.pending.add(address));
        return wanted;
    }

    /** Answers of a reverse lookup; an address without answer is remembered as a miss. */
    record(asked: readonly string[], answers: ReadonlyMap<string, readonly string[]>, now: number): void {
        for (const address of asked) {
            this.pending.delete(address);
            this.entries.delete(address);
            this.entries.set(address, { name: answers.get(address)?.[0] ?? null, at: now });
        }
        while (this.entries.size > this.capacity)
            this.entries.delete(this.entries.keys().next().value as string);
    }

    /** A DNS answer seen on the host: a program asked for `name` and got `address`. */
    observe(address: string, name: string): void {
        this.observed.delete(address);
        this.observed.set(address, name);
        while (this.observed.size > this.capacity)
            this.observed.delete(this.observed.keys().next().value as string);
    }

    /** name → addresses of the endpoint list's names; replaces the previous ones. */
    setForward(resolved: ReadonlyMap<string, readonly string[]>): void {
        const forward = new Map<string, string>();
        for (const [name, addresses] of resolved)
            for (const address of addresses)
                if (!forward.has(address))
                    forward.set(address, name);
        this.forward = forward;
    }
}
