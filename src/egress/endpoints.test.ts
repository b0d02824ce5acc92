// The flag list: the shipped file, what a list may not say (each a ParseError naming the
// entry), and the matcher's edges (case, trailing dot, look-alike names, patterns, addresses).
import { parseErrorOf } from '../../test/unit/parse-errors';
import { EndpointMatcher, isIpAddress, parseEndpoints, shippedEndpoints, type Endpoint } from './endpoints';

const shipped = shippedEndpoints();
const matcher = new EndpointMatcher(shipped);
const nameOf = (host: string) => matcher.match(host)?.name ?? null;

function entry(change: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: 'api.example-ai.test', category: 'cloud-ai', vendor: 'Example', note: 'An API.',
        source: 'https://docs.example-ai.test/api', ...change,
    };
}

const list = (...endpoints: unknown[]) => JSON.stringify({ version: 1, endpoints });

describe('the shipped list', () => {
    test('parses, every entry with a vendor, a note and an https source', () => {
        expect(shipped.length).toBe(51);
        for (const e of shipped) {
            expect(e.vendor).not.toBe('');
            expect(e.note.length).toBeGreaterThan(10);
            expect(e.source).toMatch(/^https:\/\//);
        }
    });

    test('has the cloud AI APIs, model hubs and telemetry the issue names', () => {
        const categories = Object.fromEntries(shipped.map(e => [e.name, e.category]));
        for (const name of ['api.openai.com', 'api.anthropic.com', 'generativelanguage.googleapis.com', '*.openai.azure.com',
            'api.mistral.ai', 'api.cohere.com', 'api.cohere.ai', 'api.groq.com', 'api.together.xyz', 'api.deepseek.com',
            'openrouter.ai', 'api.perplexity.ai', 'api.x.ai', 'api.fireworks.ai', 'bedrock-runtime.*.amazonaws.com',
            'api-inference.huggingface.co', 'ollama.com'])
            expect([name, categories[name]]).toEqual([name, 'cloud-ai']);
        for (const name of ['huggingface.co', '*.hf.co', 'cdn-lfs*.huggingface.co', 'registry.ollama.ai'])
            expect([name, categories[name]]).toEqual([name, 'model-hub']);
        for (const name of ['stats.vllm.ai', 'api.gradio.app', 'us.i.posthog.com'])
            expect([name, categories[name]]).toEqual([name, 'telemetry']);
    });

    test('a pattern says so in its note', () => {
        for (const e of shipped.filter(e => e.name.includes('*')))
            expect([e.name, e.note]).toEqual([e.name, expect.stringMatching(/^Pattern: /)]);
    });

    test('no package mirror or operating system update host is flagged', () => {
        for (const host of ['mirrors.fedoraproject.org', 'dl.fedoraproject.org', 'download.fedoraproject.org',
            'registry.fedoraproject.org', 'quay.io', 'ghcr.io', 'deb.debian.org', 'pypi.org', 'files.pythonhosted.org',
            'github.com', 'objects.githubusercontent.com', 'developer.download.nvidia.com', 'api.cloudflare.com'])
            expect([host, matcher.match(host)]).toEqual([host, null]);
    });
});

describe('EndpointMatcher.match', () => {
    test('an exact name, with its entry', () => {
        expect(matcher.match('api.openai.com')).toEqual({
            name: 'api.openai.com', category: 'cloud-ai', vendor: 'OpenAI', note: expect.any(String),
            source: 'https://platform.openai.com/docs/api-reference/introduction',
        });
    });

    test('case does not matter, one trailing dot is ignored, spaces around are', () => {
        expect(nameOf('API.OpenAI.com')).toBe('api.openai.com');
        expect(nameOf('api.openai.com.')).toBe('api.openai.com');
        expect(nameOf('  Api.Anthropic.COM.  ')).toBe('api.anthropic.com');
        expect(nameOf('api.openai.com..')).toBeNull();
    });

    test('look-alike names do not match', () => {
        for (const host of ['evil-api.openai.com.attacker.net', 'api.openai.com.attacker.net', 'evil-api.openai.com',
            'xapi.openai.com', 'api.openai.co', 'openai.com', 'api-openai.com', 'api.openai.comm', 'huggingface.co.evil.test',
            'notollama.com', 'stats.vllm.ai.example'])
            expect([host, matcher.match(host)]).toEqual([host, null]);
    });

    test('"*." stands for one or more labels, never none', () => {
        expect(nameOf('foo.openai.azure.com')).toBe('*.openai.azure.com');
        expect(nameOf('my-team.prod.openai.azure.com')).toBe('*.openai.azure.com');
        expect(nameOf('openai.azure.com')).toBeNull();
        expect(nameOf('.openai.azure.com')).toBeNull();
        expect(nameOf('foo.openai.azure.com.attacker.net')).toBeNull();
        expect(nameOf('transfer.xethub.hf.co')).toBe('*.hf.co');
        expect(nameOf('us-east-1.aws.cdn.hf.co')).toBe('*.hf.co');
    });

    test('a "*" label in the middle: Bedrock runtime in any region', () => {
        expect(nameOf('bedrock-runtime.us-east-1.amazonaws.com')).toBe('bedrock-runtime.*.amazonaws.com');
        expect(nameOf('bedrock-runtime.eu-central-1.amazonaws.com')).toBe('bedrock-runtime.*.amazonaws.com');
        expect(nameOf('bedrock-runtime-fips.us-west-2.amazonaws.com')).toBe('bedrock-runtime-fips.*.amazonaws.com');
        expect(nameOf('bedrock-runtime.amazonaws.com')).toBeNull();
        expect(nameOf('bedrock.us-east-1.amazonaws.com')).toBeNull();
        expect(nameOf('s3.us-east-1.amazonaws.com')).toBeNull();
        expect(nameOf('xbedrock-runtime.us-east-1.amazonaws.com')).toBeNull();
    });

    test('a "*" inside a label stays in that label', () => {
        expect(nameOf('us-central1-aiplatform.googleapis.com')).toBe('*-aiplatform.googleapis.com');
        expect(nameOf('aiplatform.googleapis.com')).toBe('aiplatform.googleapis.com');
        expect(nameOf('evil.us-central1-aiplatform.googleapis.com')).toBeNull();
        expect(nameOf('storage.googleapis.com')).toBeNull();
        expect(nameOf('cdn-lfs.huggingface.co')).toBe('cdn-lfs*.huggingface.co');
        expect(nameOf('cdn-lfs-us-1.huggingface.co')).toBe('cdn-lfs*.huggingface.co');
        expect(nameOf('a.cdn-lfs.huggingface.co')).toBeNull();
    });

    test('an exact name wins over a pattern, a longer pattern over a shorter one', () => {
        const m = new EndpointMatcher([
            { name: '*.example.test', category: 'telemetry', vendor: 'A', note: 'n', source: 'https://a.test/' },
            { name: '*.api.example.test', category: 'cloud-ai', vendor: 'B', note: 'n', source: 'https://b.test/' },
            { name: 'hub.api.example.test', category: 'model-hub', vendor: 'C', note: 'n', source: 'https://c.test/' },
        ] satisfies Endpoint[]);
        expect(m.match('x.example.test')?.vendor).toBe('A');
        expect(m.match('x.api.example.test')?.vendor).toBe('B');
        expect(m.match('hub.api.example.test')?.vendor).toBe('C');
        expect(m.match('api.example.test')?.vendor).toBe('A');
    });

    test('an address never matches a name, nor does what is not a host name', () => {
        for (const host of ['192.0.2.7', '10.214.0.2', '2001:db8::1', '[2001:db8::1]', 'fe80::1%eth0', '::ffff:192.0.2.7',
            '', ' ', '.', 'localhost', 'api.openai.com:443', 'https://api.openai.com/v1', 'api openai com', 'api.openai.com/'])
            expect([host, matcher.match(host)]).toEqual([host, null]);
        const numeric = new EndpointMatcher([
            { name: '*.in-addr.arpa', category: 'telemetry', vendor: 'X', note: 'n', source: 'https://x.test/' },
        ]);
        expect(numeric.match('7.2.0.192.in-addr.arpa')?.vendor).toBe('X');
        expect(numeric.match('192.0.2.7')).toBeNull();
    });
});

describe('isIpAddress', () => {
    test.each([
        ['192.0.2.7', true], ['10.1', true], ['0x7f.1', true], ['3232235777', true], ['2001:db8::1', true],
        ['[::1]', true], ['fe80::1%eth0', true], ['api.openai.com', false], ['1.2.3.com', false], ['api.openai.com:443', false],
    ])('%s → %s', (text, expected) => {
        expect(isIpAddress(text)).toBe(expected);
    });
});

describe('parseEndpoints refuses', () => {
    test.each([
        ['not JSON', '{', /^not JSON: /],
        ['another version', JSON.stringify({ version: 2, endpoints: [] }), /^expected \{ "version": 1/],
        ['no list', JSON.stringify({ version: 1 }), /^expected \{ "version": 1/],
        ['an entry that is not an object', list('api.openai.com'), /^endpoint 1: is not an object$/],
        ['a missing name', list(entry({ name: undefined })), /^endpoint 1: "name" must be a string that is not empty$/],
        ['an empty vendor', list(entry({ vendor: '' })), /"vendor" must be a string that is not empty$/],
        ['a missing note', list(entry({ note: undefined })), /"note" must be a string that is not empty$/],
        ['an unknown category', list(entry({ category: 'ads' })), /"category" must be one of cloud-ai, model-hub, telemetry, not "ads"$/],
        ['a source that is not https', list(entry({ source: 'http://docs.example-ai.test/' })), /"source" must be an https URL/],
        ['a source that is no URL', list(entry({ source: 'the docs' })), /"source" must be an https URL/],
        ['an unknown key', list(entry({ ports: [443] })), /unknown key "ports"$/],
        ['upper case', list(entry({ name: 'API.example-ai.test' })), /name "API.example-ai.test" must be lower case$/],
        ['a trailing dot', list(entry({ name: 'api.example-ai.test.' })), /must not end in a dot$/],
        ['one label', list(entry({ name: 'localhost' })), /needs at least two labels$/],
        ['an address', list(entry({ name: '192.0.2.7' })), /is an address, not a name$/],
        ['a bad label', list(entry({ name: 'api_.example.test' })), /has a bad label "api_"$/],
        ['a label starting with a dash', list(entry({ name: '-api.example.test' })), /has a bad label "-api"$/],
        ['two "*" in a label', list(entry({ name: 'a*b*.example.test' })), /has a bad label "a\*b\*"/],
        ['a pattern for a whole top-level domain', list(entry({ name: '*.com' })), /must end in two labels without "\*"$/],
        ['a "*" in the last two labels', list(entry({ name: 'api.*.test' })), /must end in two labels without "\*"$/],
        ['an empty label', list(entry({ name: 'api..example.test' })), /has a bad label ""$/],
        ['a name twice', list(entry(), entry({ category: 'telemetry' })), /^"api.example-ai.test" appears twice$/],
    ])('%s', (_what, text, message) => {
        const error = parseErrorOf(() => parseEndpoints(text, 'site.json'));
        expect(error.tool).toBe('site.json');
        expect(error.message).toMatch(message);
    });

    test('names the entry by its place in the list', () => {
        const error = parseErrorOf(() => parseEndpoints(list(entry(), entry({ name: 'b.example.test', category: 'x' })), 'site.json'));
        expect(error.message).toMatch(/^endpoint 2: /);
        expect(error.snippet).toContain('"b.example.test"');
    });

    test('a good list reads as written', () => {
        expect(parseEndpoints(list(entry()), 'site.json')).toEqual([entry()]);
    });
});
