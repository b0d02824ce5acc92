import { Backoff } from './backoff';

test('doubles after each quick death up to the maximum, resets after a healthy run', () => {
    const b = new Backoff({ firstMs: 1000, maxMs: 5000, healthyAfterMs: 60000 });
    expect([b.next(10), b.next(10), b.next(10), b.next(10), b.next(10)]).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(b.attempts).toBe(5);
    expect(b.next(60000)).toBe(1000);
    b.reset();
    expect(b.attempts).toBe(0);
});
