// Value helpers shared by the nvidia-smi parsers (XML and CSV): nvidia-smi writes
// numbers with units ("67.03 W", "16x", "4000 KB/s") and a zoo of reasons where a number
// is missing; both formats use the same words.
import type { PerformanceState } from './gpu';

// "12 MiB", "-7 C", "912.500 mV", "16x", "96 bank(s)", "4251825415 us"
const NUMBER_WITH_UNIT = /^(-?\d+(?:\.\d+)?)\s*(?:[A-Za-z%/()]+)?$/;

/** The number in a value, or null for N/A, [N/A], "Not Supported" and every other reason. */
export function numberOf(text: string | null): number | null {
    if (text === null)
        return null;
    const match = NUMBER_WITH_UNIT.exec(text.trim());
    if (!match)
        return null;
    const value = Number(match[1]);
    return Number.isFinite(value) ? value : null;
}

/** nvidia-smi's ways of saying "no value": they carry no reason worth showing. */
export function isPlainNotAvailable(text: string): boolean {
    const t = text.trim();
    return t === '' || t === 'N/A' || t === '[N/A]';
}

/** Text with the N/A forms turned into null. */
export function textOf(text: string | null): string | null {
    if (text === null)
        return null;
    const t = text.trim();
    return isPlainNotAvailable(t) ? null : t;
}

/**
 * nvidia-smi writes PCI bus ids with an 8-digit domain in upper case ('00000000:01:00.0');
 * lspci, sysfs and /proc/<pid>/cgroup tools use 4 digits in lower case ('0000:01:00.0').
 * The model uses the lspci form so the two inventories can be joined.
 */
export function normaliseBusId(raw: string): string {
    const match = /^([0-9a-fA-F]+):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/.exec(raw.trim());
    if (!match)
        return raw.trim().toLowerCase();
    const domain = match[1].replace(/^0+/, '').padStart(4, '0');
    return `${domain}:${match[2]}:${match[3]}.${match[4]}`.toLowerCase();
}

export function performanceStateOf(text: string | null): PerformanceState | null {
    const t = text?.trim() ?? '';
    const match = /^P(\d{1,2})$/.exec(t);
    if (!match || Number(match[1]) > 15)
        return null;
    return t as PerformanceState;
}
