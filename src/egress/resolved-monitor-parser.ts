// `resolvectl monitor --json=short`: one JSON object a line for every query systemd-resolved
// finished (test/fixtures/resolvectl). What the Network egress tab takes from it: for each
// A and AAAA answer, the address and the name the program asked for (question[0].name) rather
// than the record's own name, so that api.openai.com behind a CNAME to a CDN is still
// api.openai.com. Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import { formatIpAddress } from './ip-network';

const TOOL = 'resolvectl monitor';
const TYPE_A = 1;
const TYPE_AAAA = 28;

export interface ObservedName {
    address: string;
    /** Lower case, without a final dot. */
    name: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bytesOf(value: unknown, length: number): number[] | null {
    return Array.isArray(value) && value.length === length && value.every(b => Number.isInteger(b) && b >= 0 && b <= 255) ? value as number[] : null;
}

function addressText(type: number, address: unknown): string | null {
    if (type === TYPE_A) {
        const bytes = bytesOf(address, 4);
        return bytes ? formatIpAddress({ family: 4, bytes }) : null;
    }
    const bytes = bytesOf(address, 16);
    if (!bytes)
        return null;
    const groups = Array.from({ length: 8 }, (_unused, i) => bytes[2 * i] * 256 + bytes[2 * i + 1]);
    return formatIpAddress({ family: 6, groups });
}

/** The names a line tells; [] for a query without addresses (NXDOMAIN, a TXT lookup); null for a blank line. */
export function parseResolvedMonitorLine(line: string): ObservedName[] | null {
    if (line.trim() === '')
        return null;
    let json: unknown;
    try {
        json = JSON.parse(line);
    } catch {
        throw new ParseError(TOOL, 'a line is not JSON', line);
    }
    if (!isObject(json) || !Array.isArray(json.question))
        throw new ParseError(TOOL, 'a line has no "question" list', line);
    const [first] = json.question;
    const asked = isObject(first) && typeof first.name === 'string' ? first.name.toLowerCase().replace(/\.$/, '') : null;
    if (asked === null || asked === '')
        throw new ParseError(TOOL, 'the question has no name', line);
    if (json.answer === undefined)
        return [];
    if (!Array.isArray(json.answer))
        throw new ParseError(TOOL, '"answer" is not a list', line);
    const names: ObservedName[] = [];
    for (const answer of json.answer) {
        const rr = isObject(answer) && isObject(answer.rr) ? answer.rr : null;
        const key = rr && isObject(rr.key) ? rr.key : null;
        if (!rr || !key || typeof key.type !== 'number')
            throw new ParseError(TOOL, 'an answer has no record key', line);
        if (key.type !== TYPE_A && key.type !== TYPE_AAAA)
            continue; // CNAME and the rest name no address
        const address = addressText(key.type, rr.address);
        if (address === null)
            throw new ParseError(TOOL, `an ${key.type === TYPE_A ? 'A' : 'AAAA'} record's address is not ${key.type === TYPE_A ? 4 : 16} bytes`, line);
        if (!names.some(n => n.address === address))
            names.push({ address, name: asked });
    }
    return names;
}
