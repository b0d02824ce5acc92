// Keeping the newest known-good deployments pinned: the page's two small state files
// (/var/lib/cockpit-ai-workstation/auto-pins.json and settings.json) and the plan of pins
// and unpins that makes the host match the setting. The pins the page made are remembered
// by checksum so that a pin the admin made by hand is never undone (issue 5). Pure.
import type { Deployment } from '../deployments/deployment';
import type { AutoPins, KernelSettings, KnownGoodRecord } from './kernel';
import { newestFirst } from './known-good';

const CHECKSUM = /^[0-9a-f]{64}$/;
const VERSION = 1;

/** More would pin most of the disk: each pinned deployment keeps its whole tree. */
export const MAX_KEEP_PINNED = 10;

export const DEFAULT_SETTINGS: KernelSettings = { keepKnownGoodPinned: 0 };

/** What a file held, and whether it had to be set aside (a notice for the admin). */
export interface Read<T> {
    value: T;
    /** The file was there but unreadable: the defaults stand in, and the page says so. */
    notice: boolean;
}

function objectOf(text: string): Record<string, unknown> | null {
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null;
    } catch {
        return null;
    }
}

/** auto-pins.json; null text = no file yet, which is no damage. Bad entries are dropped with a notice. */
export function parseAutoPins(text: string | null): Read<AutoPins> {
    if (text === null || text.trim() === '')
        return { value: { checksums: [] }, notice: false };
    const json = objectOf(text);
    if (!json || json.version !== VERSION || !Array.isArray(json.checksums))
        return { value: { checksums: [] }, notice: true };
    const checksums = json.checksums.filter((c): c is string => typeof c === 'string' && CHECKSUM.test(c));
    return { value: { checksums: [...new Set(checksums)] }, notice: checksums.length !== json.checksums.length };
}

export function serializeAutoPins(pins: AutoPins): string {
    return JSON.stringify({ version: VERSION, checksums: pins.checksums }) + '\n';
}

/** settings.json; null text = no file yet. */
export function parseSettings(text: string | null): Read<KernelSettings> {
    if (text === null || text.trim() === '')
        return { value: DEFAULT_SETTINGS, notice: false };
    const json = objectOf(text);
    const keep = json?.keepKnownGoodPinned;
    if (!json || json.version !== VERSION || !Number.isInteger(keep) || typeof keep !== 'number' || keep < 0 || keep > MAX_KEEP_PINNED)
        return { value: DEFAULT_SETTINGS, notice: true };
    return { value: { keepKnownGoodPinned: keep }, notice: false };
}

export function serializeSettings(settings: KernelSettings): string {
    return JSON.stringify({ version: VERSION, keepKnownGoodPinned: settings.keepKnownGoodPinned }) + '\n';
}

export interface AutoPinPlan {
    /** Deployment indexes to pin (`ostree admin pin N`). */
    pin: number[];
    /** Deployment indexes to unpin (`ostree admin pin --unpin N`): only pins this page made. */
    unpin: number[];
    /** auto-pins.json's checksums once the plan has run. */
    autoPins: string[];
}

/**
 * Pin the newest `keep` known-good deployments that are not pinned; unpin the automatic
 * pins that fell out of the newest `keep`. A deployment pinned but not in `autoPins` is
 * the admin's: never unpinned and never adopted as automatic, even when it is among the
 * newest. Staged deployments cannot be pinned (and never booted, so are never known-good).
 */
export function autoPinPlan(deployments: readonly Deployment[], knownGood: ReadonlyMap<string, KnownGoodRecord>,
    autoPins: AutoPins, keep: number): AutoPinPlan {
    const ours = new Set(autoPins.checksums);
    const candidates = newestFirst(deployments.filter(d => !d.staged && knownGood.has(d.id)));
    const kept = new Set(candidates.slice(0, Math.max(0, keep)).map(d => d.id));
    const pin = deployments.filter(d => kept.has(d.id) && !d.pinned).map(d => d.index);
    const unpin = deployments.filter(d => d.pinned && ours.has(d.checksum) && !kept.has(d.id)).map(d => d.index);
    // ours after the plan: what it pins now, and what it pinned before that stays kept
    const autoPinned = deployments.filter(d => kept.has(d.id) && (!d.pinned || ours.has(d.checksum)));
    return { pin, unpin, autoPins: [...new Set(autoPinned.map(d => d.checksum))] };
}
