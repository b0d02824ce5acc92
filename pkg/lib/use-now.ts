// The clock for "3 min ago" and uptimes: re-read every periodMs, so a view that shows
// ages stays right without data changing.
import { useEffect, useState } from 'react';

export function useNow(periodMs: number): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        const timer = setInterval(() => setNow(Date.now()), periodMs);
        return () => clearInterval(timer);
    }, [periodMs]);
    return now;
}
