import { act, renderHook } from '@testing-library/react';
import { useThrottled } from './use-throttled';

test('follows at most once per interval, and catches up at its end', () => {
    jest.useFakeTimers();
    try {
        const { result, rerender } = renderHook(({ v }) => useThrottled(v, 1000), { initialProps: { v: 1 } });
        expect(result.current).toBe(1);
        rerender({ v: 2 });
        rerender({ v: 3 });
        expect(result.current).toBe(1);
        act(() => { jest.advanceTimersByTime(999) });
        expect(result.current).toBe(1);
        act(() => { jest.advanceTimersByTime(1) });
        expect(result.current).toBe(3);
        // after a quiet interval the next change shows at once
        act(() => { jest.advanceTimersByTime(2000) });
        rerender({ v: 4 });
        expect(result.current).toBe(4);
    } finally {
        jest.useRealTimers();
    }
});
