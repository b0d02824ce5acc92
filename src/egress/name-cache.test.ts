// The bounded, expiring memory of peer names: eviction, expiry, batches, asked-once, and
// forward names over reverse ones. Time is an argument.
import { readFixture } from '../../test/unit/fixtures';
import { parseHostLookups } from './host-lookups-parser';
import { NameCache } from './name-cache';

const reverse = parseHostLookups(readFixture('getent/reverse-multi-name-hosts.txt'), 'reverse');
const forward = parseHostLookups(readFixture('getent/forward-multi-name-hosts.txt'), 'forward');

test('defaults', () => {
    const cache = new NameCache();
    expect([cache.capacity, cache.ttlMs, cache.batch]).toEqual([2048, 600_000, 32]);
});

test('a recorded reverse answer gives the canonical name; an address without answer is a miss', () => {
    const cache = new NameCache();
    const asked = cache.toLookUp(['203.0.113.20', '192.0.2.250', '198.51.100.7'], 0);
    expect(asked).toEqual(['203.0.113.20', '192.0.2.250', '198.51.100.7']);
    cache.record(asked, reverse, 0);
    expect(cache.name('203.0.113.20')).toBe('models.example.org');
    expect(cache.name('198.51.100.7')).toBe('huggingface.co');
    expect(cache.name('192.0.2.250')).toBeNull();
    // the miss is remembered: not asked again within the time to live
    expect(cache.toLookUp(['192.0.2.250', '203.0.113.20'], 1000)).toEqual([]);
});

test('an address never asked has no name', () => {
    expect(new NameCache().name('192.0.2.1')).toBeNull();
});

describe('capacity', () => {
    test('the least recently used address leaves first', () => {
        const cache = new NameCache({ capacity: 2 });
        cache.record(['192.0.2.1'], new Map([['192.0.2.1', ['one.example']]]), 0);
        cache.record(['192.0.2.2'], new Map([['192.0.2.2', ['two.example']]]), 1);
        // shown again: 192.0.2.1 is now the most recently used
        expect(cache.name('192.0.2.1')).toBe('one.example');
        cache.record(['192.0.2.3'], new Map([['192.0.2.3', ['three.example']]]), 2);
        expect(cache.name('192.0.2.2')).toBeNull();
        expect(cache.name('192.0.2.1')).toBe('one.example');
        expect(cache.name('192.0.2.3')).toBe('three.example');
        // the evicted one is asked again
        expect(cache.toLookUp(['192.0.2.1', '192.0.2.2', '192.0.2.3'], 3)).toEqual(['192.0.2.2']);
    });

    test('without use in between, the oldest answer leaves', () => {
        const cache = new NameCache({ capacity: 3 });
        const addresses = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
        cache.record(addresses, new Map(addresses.map((a, i) => [a, [`h${i}.example`]])), 0);
        expect(addresses.map(a => cache.name(a))).toEqual([null, null, 'h2.example', 'h3.example', 'h4.example']);
    });
});

describe('time to live', () => {
    test('an answer is fresh until ttlMs has passed, then asked again', () => {
        const cache = new NameCache({ ttlMs: 1000 });
        cache.record(cache.toLookUp(['192.0.2.1'], 5000), new Map([['192.0.2.1', ['one.example']]]), 5000);
        expect(cache.toLookUp(['192.0.2.1'], 5999)).toEqual([]);
        expect(cache.toLookUp(['192.0.2.1'], 6000)).toEqual(['192.0.2.1']);
        // the old name stays shown while it is asked again
        expect(cache.name('192.0.2.1')).toBe('one.example');
    });

    test('a miss expires the same way, and a later answer replaces it', () => {
        const cache = new NameCache({ ttlMs: 1000 });
        cache.record(cache.toLookUp(['192.0.2.250'], 0), new Map(), 0);
        expect(cache.toLookUp(['192.0.2.250'], 999)).toEqual([]);
        const again = cache.toLookUp(['192.0.2.250'], 1000);
        expect(again).toEqual(['192.0.2.250']);
        cache.record(again, new Map([['192.0.2.250', ['late.example']]]), 1000);
        expect(cache.name('192.0.2.250')).toBe('late.example');
    });
});

describe('batches and pending lookups', () => {
    test('at most `batch` addresses at once, the rest in the next call', () => {
        const cache = new NameCache({ batch: 2 });
        const addresses = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'];
        expect(cache.toLookUp(addresses, 0)).toEqual(['192.0.2.1', '192.0.2.2']);
        expect(cache.toLookUp(addresses, 0)).toEqual(['192.0.2.3', '192.0.2.4']);
        expect(cache.toLookUp(addresses, 0)).toEqual(['192.0.2.5']);
        expect(cache.toLookUp(addresses, 0)).toEqual([]);
    });

    test('an address is asked once, however often it appears, until its answer is recorded', () => {
        const cache = new NameCache();
        expect(cache.toLookUp(['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.1'], 0)).toEqual(['192.0.2.1', '192.0.2.2']);
        // still pending, even long after: nothing to ask
        expect(cache.toLookUp(['192.0.2.1', '192.0.2.2'], 10 * 3600_000)).toEqual([]);
        cache.record(['192.0.2.1'], new Map(), 0);
        // 192.0.2.2 is still pending; 192.0.2.1's miss is fresh
        expect(cache.toLookUp(['192.0.2.1', '192.0.2.2'], 1)).toEqual([]);
    });

    test('duplicates do not use up the batch', () => {
        const cache = new NameCache({ batch: 2 });
        expect(cache.toLookUp(['192.0.2.1', '192.0.2.1', '192.0.2.1', '192.0.2.2'], 0)).toEqual(['192.0.2.1', '192.0.2.2']);
    });
});

describe('forward names', () => {
    test('the endpoint list\'s names win over reverse answers', () => {
        const cache = new NameCache();
        // reverse DNS names the cloud's machine, not the API
        cache.record(['203.0.113.10'], new Map([['203.0.113.10', ['ec2-203-0-113-10.compute.example']]]), 0);
        expect(cache.name('203.0.113.10')).toBe('ec2-203-0-113-10.compute.example');
        cache.setForward(forward);
        expect(cache.name('203.0.113.10')).toBe('api.openai.com');
        expect(cache.name('2001:db8::10')).toBe('api.openai.com');
        expect(cache.name('198.51.100.8')).toBe('huggingface.co');
        expect(cache.name('::1')).toBe('localhost');
    });

    test('addresses with a forward name are never asked', () => {
        const cache = new NameCache();
        cache.setForward(forward);
        expect(cache.toLookUp(['203.0.113.10', '192.0.2.250', '2001:db8::10', '198.51.100.7'], 0)).toEqual(['192.0.2.250']);
    });

    test('an address of two names keeps the first; a new set replaces the old one', () => {
        const cache = new NameCache();
        cache.setForward(new Map([['first.example', ['192.0.2.5']], ['second.example', ['192.0.2.5', '192.0.2.6']]]));
        expect(cache.name('192.0.2.5')).toBe('first.example');
        expect(cache.name('192.0.2.6')).toBe('second.example');
        cache.setForward(new Map([['third.example', ['192.0.2.6']]]));
        expect(cache.name('192.0.2.5')).toBeNull();
        expect(cache.name('192.0.2.6')).toBe('third.example');
        // no longer a forward address: asked by reverse lookup again
        expect(cache.toLookUp(['192.0.2.5', '192.0.2.6'], 0)).toEqual(['192.0.2.5']);
    });
});

describe('names seen in DNS answers (resolvectl monitor)', () => {
    test('beat reverse lookups, are never looked up again, and yield to the endpoint list', () => {
        const cache = new NameCache({ capacity: 2 });
        cache.record(['198.51.100.7'], new Map([['198.51.100.7', ['edge-7.cdn.example.net']]]), 0);
        cache.observe('198.51.100.7', 'api.example.com');
        expect(cache.name('198.51.100.7')).toBe('api.example.com');
        expect(cache.toLookUp(['198.51.100.7'], 10 * 60_000 + 1)).toEqual([]);
        cache.setForward(new Map([['api.openai.com', ['198.51.100.7']]]));
        expect(cache.name('198.51.100.7')).toBe('api.openai.com');
    });

    test('are bounded: the oldest leave first', () => {
        const cache = new NameCache({ capacity: 2 });
        cache.observe('192.0.2.1', 'a.example');
        cache.observe('192.0.2.2', 'b.example');
        cache.observe('192.0.2.3', 'c.example');
        expect([cache.name('192.0.2.1'), cache.name('192.0.2.2'), cache.name('192.0.2.3')]).toEqual([null, 'b.example', 'c.example']);
    });
});
