// The Plural-Forms header ("nplurals=2; plural=(n != 1);") turned into JavaScript source for
// cockpit.locale(). The expression ends up as code in every page, so it is checked strictly first:
// only the characters and tokens of gettext's C subset pass, and the tokens must parse as an
// expression of that grammar. Anything else is a PluralFormsError.

export class PluralFormsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'PluralFormsError';
    }
}

export interface PluralForms {
    nplurals: number;
    /** The validated expression, tokens joined by single spaces. */
    expression: string;
    /** "(n) => (...)": source of the function cockpit.js calls with the count. */
    functionSource: string;
    /** The plural form index for a count, computed without eval. */
    select(n: number): number;
}

/** Characters that may appear in the header at all (a coarse first gate). */
const ALLOWED_CHARS = /^[n0-9\s()?:<>=!&|%*+\-;a-z_]*$/;
const HEADER = /^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$/;
const TOKEN = /\s*(n|\d+|\|\||&&|==|!=|<=|>=|[<>?:()%!*+-])/y;

type Node =
    | { kind: 'n' }
    | { kind: 'num'; value: number }
    | { kind: 'unary'; op: '!' | '-'; arg: Node }
    | { kind: 'binary'; op: string; left: Node; right: Node }
    | { kind: 'cond'; test: Node; then: Node; else: Node };

function tokenize(expression: string): string[] {
    const tokens: string[] = [];
    TOKEN.lastIndex = 0;
    let pos = 0;
    while (pos < expression.length) {
        if (/^\s*$/.test(expression.slice(pos)))
            break;
        TOKEN.lastIndex = pos;
        const match = TOKEN.exec(expression);
        if (!match)
            throw new PluralFormsError(`unexpected "${expression.slice(pos).trim()[0]}" in plural expression "${expression}"`);
        tokens.push(match[1]);
        pos = TOKEN.lastIndex;
    }
    return tokens;
}

// Precedence climbing over C's binary operators (the ones gettext allows, minus "/").
const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '%']];

class Parser {
    private pos = 0;

    constructor(private readonly tokens: string[], private readonly source: string) {}

    parse(): Node {
        const node = this.conditional();
        if (this.pos !== this.tokens.length)
            this.fail(`unexpected "${this.tokens[this.pos]}"`);
        return node;
    }

    private fail(message: string): never {
        throw new PluralFormsError(`${message} in plural expression "${this.source}"`);
    }

    private peek(): string | undefined {
        return this.tokens[this.pos];
    }

    private expect(token: string): void {
        if (this.tokens[this.pos] !== token)
            this.fail(`expected "${token}"`);
        this.pos++;
    }

    private conditional(): Node {
        const test = this.binary(0);
        if (this.peek() !== '?')
            return test;
        this.pos++;
        const then = this.conditional();
        this.expect(':');
        return { kind: 'cond', test, then, else: this.conditional() };
    }

    private binary(level: number): Node {
        if (level === BINARY_LEVELS.length)
            return this.unary();
        let left = this.binary(level + 1);
        for (let op = this.peek(); op !== undefined && BINARY_LEVELS[level].includes(op); op = this.peek()) {
            this.pos++;
            left = { kind: 'binary', op, left, right: this.binary(level + 1) };
        }
        return left;
    }

    private unary(): Node {
        const token = this.peek();
        if (token === '!' || token === '-') {
            this.pos++;
            return { kind: 'unary', op: token, arg: this.unary() };
        }
        return this.primary();
    }

    private primary(): Node {
        const token = this.peek();
        this.pos++;
        if (token === 'n')
            return { kind: 'n' };
        if (token !== undefined && /^\d+$/.test(token))
            return { kind: 'num', value: Number(token) };
        if (token === '(') {
            const inner = this.conditional();
            this.expect(')');
            return inner;
        }
        return this.fail(token === undefined ? 'unexpected end' : `unexpected "${token}"`);
    }
}

function toInt(value: number | boolean): number {
    return typeof value === 'boolean' ? Number(value) : value;
}

function evaluate(node: Node, n: number): number {
    switch (node.kind) {
    case 'n': return n;
    case 'num': return node.value;
    case 'unary': return node.op === '!' ? Number(!evaluate(node.arg, n)) : -evaluate(node.arg, n);
    case 'cond': return evaluate(node.test, n) ? evaluate(node.then, n) : evaluate(node.else, n);
    case 'binary': {
        const a = evaluate(node.left, n);
        const b = evaluate(node.right, n);
        switch (node.op) {
        case '||': return Number(a !== 0 || b !== 0);
        case '&&': return Number(a !== 0 && b !== 0);
        case '==': return toInt(a === b);
        case '!=': return toInt(a !== b);
        case '<': return toInt(a < b);
        case '>': return toInt(a > b);
        case '<=': return toInt(a <= b);
        case '>=': return toInt(a >= b);
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '%': return b === 0 ? NaN : a % b;
        }
    }
    }
    throw new PluralFormsError('unknown node');
}

/** Parses and checks a Plural-Forms header value. Throws PluralFormsError on anything suspicious. */
export function parsePluralForms(header: string): PluralForms {
    if (!ALLOWED_CHARS.test(header))
        throw new PluralFormsError(`Plural-Forms contains characters that are not allowed: "${header}"`);
    const match = HEADER.exec(header);
    if (!match)
        throw new PluralFormsError(`Plural-Forms must read "nplurals=N; plural=EXPRESSION;", got "${header}"`);
    const nplurals = Number(match[1]);
    if (nplurals < 1 || nplurals > 10)
        throw new PluralFormsError(`nplurals=${nplurals} is out of range (1 to 10)`);
    const source = match[2];
    const tokens = tokenize(source);
    const ast = new Parser(tokens, source).parse();

    const select = (n: number) => evaluate(ast, n);
    for (let n = 0; n <= 1000; n++) {
        const form = select(n);
        if (!Number.isInteger(form) || form < 0 || form >= nplurals)
            throw new PluralFormsError(`plural expression "${source}" gives ${form} for n=${n}, outside 0..${nplurals - 1}`);
    }

    const expression = tokens.join(' ');
    return { nplurals, expression, functionSource: `(n) => (${expression})`, select };
}
