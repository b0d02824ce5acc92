import { addPoint, memoryPercent, type GpuHistory } from './history';

test('points older than the window fall off, per GPU', () => {
    let h: GpuHistory = new Map();
    h = addPoint(h, 'a', { t: 0, util: 1, mem: 10 }, 1000);
    h = addPoint(h, 'b', { t: 100, util: 50, mem: null }, 1000);
    h = addPoint(h, 'a', { t: 600, util: 2, mem: 11 }, 1000);
    h = addPoint(h, 'a', { t: 1200, util: 3, mem: 12 }, 1000);
    expect(h.get('a')?.map(p => p.t)).toEqual([600, 1200]);
    expect(h.get('b')?.map(p => p.util)).toEqual([50]);
});

test('adding returns a new history and leaves the old one as it was', () => {
    const before: GpuHistory = new Map([['a', [{ t: 0, util: 1, mem: 1 }]]]);
    const after = addPoint(before, 'a', { t: 1, util: 2, mem: 2 });
    expect(before.get('a')).toHaveLength(1);
    expect(after.get('a')).toHaveLength(2);
});

test('a clock step back drops the points that now look like the future', () => {
    let h: GpuHistory = new Map();
    h = addPoint(h, 'a', { t: 5000, util: 1, mem: 1 });
    h = addPoint(h, 'a', { t: 1000, util: 2, mem: 2 });
    expect(h.get('a')?.map(p => p.t)).toEqual([1000]);
});

test('memory percent', () => {
    expect(memoryPercent(6144, 12288)).toBe(50);
    expect(memoryPercent(null, 12288)).toBeNull();
    expect(memoryPercent(1, 0)).toBeNull();
    expect(memoryPercent(20000, 12288)).toBe(100);
});
