// The flag list shipped with the package (endpoints.json): host names of cloud AI APIs,
// model hubs and telemetry collectors, each with why it is listed. Pure: the file's text in,
// checked entries out (or a ParseError naming the entry), and a matcher from a host name
// to the entry that flags it.
//
// Names are exact ("api.openai.com") or patterns. In a pattern a label that is just "*"
// stands for one or more whole labels ("*.openai.azure.com" matches foo.openai.azure.com and
// a.b.openai.azure.com, never openai.azure.com itself), and a "*" inside a label stands for
// any run of letters, digits and dashes within that one label ("*-aiplatform.googleapis.com",
// "cdn-lfs*.huggingface.co").
import { ParseError } from '../../pkg/lib/parse-error';
import shipped from './endpoints.json';
import { isJsonObject, versionedList, type JsonObject } from '../../pkg/lib/versioned-json';

export type EndpointCategory = 'cloud-ai' | 'model-hub' | 'telemetry';

export const ENDPOINT_CATEGORIES: readonly EndpointCategory[] = ['cloud-ai', 'model-hub', 'telemetry'];

export interface Endpoint {
    /** Lower case, no trailing dot; may be a pattern. */
    name: string;
    category: EndpointCategory;
    vendor: string;
    note: string;
    /** Where the name is documented. */
    source: string;
}

const LITERAL_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const GLOB_LABEL = /^[a-z0-9-]*\*[a-z0-9-]*$/;

/** Checks one name of the list; returns why it is refused, or null. */
function nameProblem(name: string): string | null {
    if (name !== name.trim() || name === '')
        return 'is empty or has spaces around it';
    if (name !== name.toLowerCase())
        return 'must be lower case';
    if (name.endsWith('.'))
        return 'must not end in a dot';
    if (name.length > 253)
        return 'is longer than 253 characters';
    if (isIpAddress(name))
        return 'is an address, not a name';
    const labels = name.split('.');
    if (labels.length < 2)
        return 'needs at least two labels';
    for (const label of labels) {
        if (label === '*')
            continue;
        if (label.includes('*')) {
            if (!GLOB_LABEL.test(label))
                return `has a bad label "${label}" (one "*" a label at most)`;
            continue;
        }
        if (!LITERAL_LABEL.test(label))
            return `has a bad label "${label}"`;
    }
    // "*.com" would flag half the internet: the last two labels must be plain
    if (labels.slice(-2).some(label => label.includes('*')))
        return 'must end in two labels without "*"';
    return null;
}

function readEntry(raw: unknown, source: string, text: string, position: number): Endpoint {
    const where = `endpoint ${position + 1}`;
    const fail = (message: string): never => {
        throw new ParseError(source, `${where}: ${message}`, text);
    };
    if (!isJsonObject(raw))
        fail('is not an object');
    const entry = raw as JsonObject;
    const string = (key: string): string => {
        const value = entry[key];
        if (typeof value !== 'string' || value.trim() === '')
            fail(`"${key}" must be a string that is not empty`);
        return value as string;
    };
    const name = string('name');
    const problem = nameProblem(name);
    if (problem)
        fail(`name "${name}" ${problem}`);
    const category = string('category');
    if (!(ENDPOINT_CATEGORIES as readonly string[]).includes(category))
        fail(`"category" must be one of ${ENDPOINT_CATEGORIES.join(', ')}, not "${category}"`);
    const url = string('source');
    if (!/^https:\/\/[^\s/]+\.[^\s/]+\/\S*$/.test(url))
        fail(`"source" must be an https URL, not "${url}"`);
    for (const key of Object.keys(entry)) {
        if (!['name', 'category', 'vendor', 'note', 'source'].includes(key))
            fail(`unknown key "${key}"`);
    }
    return { name, category: category as EndpointCategory, vendor: string('vendor'), note: string('note'), source: url };
}

/** The list's text: `{ "version": 1, "endpoints": [...] }`. */
export function parseEndpoints(text: string, source: string): Endpoint[] {
    const entries = versionedList(text, source, 'endpoints').map((raw, i) => readEntry(raw, source, text, i));
    const seen = new Set<string>();
    for (const entry of entries) {
        if (seen.has(entry.name))
            throw new ParseError(source, `"${entry.name}" appears twice`, text);
        seen.add(entry.name);
    }
    return entries;
}

/** The list shipped with the package. */
export function shippedEndpoints(): Endpoint[] {
    return parseEndpoints(JSON.stringify(shipped), 'endpoints.json');
}

/** The names of a list that can be looked up forward (a '*' pattern cannot). */
export function lookupNames(endpoints: readonly Endpoint[]): string[] {
    return endpoints.map(e => e.name).filter(name => !name.includes('*'));
}

interface Pattern {
    entry: Endpoint;
    regex: RegExp;
    /** Letters outside the "*": the more, the more specific. */
    weight: number;
}

const HOST_LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';

function patternRegex(name: string): RegExp {
    const parts = name.split('.').map(label => {
        if (label === '*')
            return `${HOST_LABEL}(?:\\.${HOST_LABEL})*`;
        if (label.includes('*')) {
            const [before, after] = label.split('*');
            return `${before}[a-z0-9_-]*${after}`;
        }
        return label;
    });
    return new RegExp(`^${parts.join('\\.')}$`);
}

/** Host name → the entry that flags it. Exact names win over patterns, then the most specific pattern. */
export class EndpointMatcher {
    private readonly exact = new Map<string, Endpoint>();
    private readonly patterns: Pattern[] = [];

    constructor(entries: readonly Endpoint[]) {
        for (const entry of entries) {
            if (entry.name.includes('*'))
                this.patterns.push({ entry, regex: patternRegex(entry.name), weight: entry.name.replace(/\*/g, '').length });
            else
                this.exact.set(entry.name, entry);
        }
        this.patterns.sort((a, b) => b.weight - a.weight);
    }

    /**
     * The entry for a host name as a resolver or a log gives it: case does not matter, one
     * trailing dot is ignored. An address (192.0.2.7, 2001:db8::1, [::1]) never matches a
     * name, nor does anything that is not a host name.
     */
    match(hostName: string): Endpoint | null {
        let name = hostName.trim().toLowerCase();
        if (name.endsWith('.'))
            name = name.slice(0, -1);
        if (name === '' || name.length > 253 || isIpAddress(name) || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(name))
            return null;
        const exact = this.exact.get(name);
        if (exact)
            return exact;
        return this.patterns.find(p => p.regex.test(name))?.entry ?? null;
    }
}

/** IPv4 dotted quad, IPv6 (with or without brackets, zone), or an IPv4 in any other spelling inet_aton takes. */
export function isIpAddress(text: string): boolean {
    const value = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
    if (value.includes(':'))
        return /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(value);
    // all-numeric labels (10.1, 0x7f.1, 3232235777) are what resolvers read as addresses
    return /^(0x[0-9a-f]+|\d+)(\.(0x[0-9a-f]+|\d+)){0,3}$/i.test(value);
}
