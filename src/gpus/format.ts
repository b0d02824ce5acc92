// How the GPUs tab writes numbers. A missing value is a dash, never "NaN" or "0".
import { _, format } from '../../pkg/lib/gettext';
import type { Measurement } from './gpu';

export const MISSING = '—';

function fixed(value: number, digits: number): string {
    return value.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function percent(value: Measurement): string {
    return value === null ? MISSING : format(_("$0 %"), fixed(value, 0));
}

export function mebibytes(value: Measurement): string {
    if (value === null)
        return MISSING;
    return value >= 1024 ? format(_("$0 GiB"), fixed(value / 1024, 1)) : format(_("$0 MiB"), fixed(value, 0));
}

export function watts(value: Measurement): string {
    return value === null ? MISSING : format(_("$0 W"), fixed(value, 1));
}

export function celsius(value: Measurement): string {
    return value === null ? MISSING : format(_("$0 °C"), fixed(value, 0));
}

export function megahertz(value: Measurement): string {
    return value === null ? MISSING : format(_("$0 MHz"), fixed(value, 0));
}

export function count(value: Measurement): string {
    return value === null ? MISSING : fixed(value, 0);
}

/** "6.1 GiB of 12 GiB" */
export function memoryOf(used: Measurement, total: Measurement): string {
    if (used === null && total === null)
        return MISSING;
    return format(_("$0 of $1"), mebibytes(used), mebibytes(total));
}

/** Seconds or minutes since `then`, for "last sample 12 s ago". */
export function ago(then: number, now: number): string {
    const seconds = Math.max(0, Math.round((now - then) / 1000));
    return seconds < 120 ? format(_("$0 s ago"), seconds) : format(_("$0 min ago"), Math.round(seconds / 60));
}
