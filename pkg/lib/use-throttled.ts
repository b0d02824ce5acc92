// A value that follows another at most once per interval (and once more at its end), so
// an expensive view of fast-changing data (a chart of a 2 s stream) redraws less often
// than the numbers beside it.
import { useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, intervalMs: number): T {
    const [shown, setShown] = useState(value);
    const lastAt = useRef(0);
    const latest = useRef(value);
    latest.current = value;

    useEffect(() => {
        const wait = lastAt.current + intervalMs - Date.now();
        if (wait <= 0) {
            lastAt.current = Date.now();
            setShown(value);
            return;
        }
        const timer = setTimeout(() => {
            lastAt.current = Date.now();
            setShown(latest.current);
        }, wait);
        return () => clearTimeout(timer);
    }, [value, intervalMs]);

    return shown;
}
