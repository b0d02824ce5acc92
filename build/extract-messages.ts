// Finds translatable strings in TypeScript source with the TypeScript compiler's parser:
// _("msg"), C_("ctx", "msg"), N_("msg"), ngettext("one", "many", n), and cockpit.gettext /
// cockpit.ngettext / cockpit.noop with or without a leading context. Arguments must be string
// literals (template literals without substitutions and "a" + "b" concatenations count);
// anything else is an ExtractionError with file:line. Pure: file text in, messages out.

import ts from 'typescript';

import type { ExtractionError, Message } from './messages';

export interface SourceText {
    /** Path relative to the repository root, forward slashes. */
    path: string;
    text: string;
}

export interface Extraction {
    messages: Message[];
    errors: ExtractionError[];
}

/** Where the helpers themselves live: they pass variables through on purpose. */
export const GETTEXT_MODULE = 'pkg/lib/gettext.ts';

/** Which arguments are context / msgid / plural, by argument count. */
interface CallShape {
    context?: number;
    msgid: number;
    plural?: number;
}

const FUNCTION_SHAPES: Record<string, Record<number, CallShape>> = {
    _: { 1: { msgid: 0 } },
    C_: { 2: { context: 0, msgid: 1 } },
    N_: { 1: { msgid: 0 } },
    ngettext: { 3: { msgid: 0, plural: 1 } },
};

const COCKPIT_SHAPES: Record<string, Record<number, CallShape>> = {
    gettext: { 1: { msgid: 0 }, 2: { context: 0, msgid: 1 } },
    noop: { 1: { msgid: 0 }, 2: { context: 0, msgid: 1 } },
    ngettext: { 3: { msgid: 0, plural: 1 }, 4: { context: 0, msgid: 1, plural: 2 } },
};

/** The callee's display name and its shapes, or null when it is not a gettext call. */
function calleeShapes(call: ts.CallExpression): { name: string; shapes: Record<number, CallShape> } | null {
    const callee = call.expression;
    if (ts.isIdentifier(callee) && Object.hasOwn(FUNCTION_SHAPES, callee.text))
        return { name: callee.text, shapes: FUNCTION_SHAPES[callee.text] };
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'cockpit' && Object.hasOwn(COCKPIT_SHAPES, callee.name.text))
        return { name: `cockpit.${callee.name.text}`, shapes: COCKPIT_SHAPES[callee.name.text] };
    return null;
}

/** The string a literal argument stands for, or undefined when it is not a compile-time literal. */
export function literalValue(node: ts.Expression): string | undefined {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
        return node.text;
    if (ts.isParenthesizedExpression(node))
        return literalValue(node.expression);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const left = literalValue(node.left);
        const right = literalValue(node.right);
        return left === undefined || right === undefined ? undefined : left + right;
    }
    return undefined;
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
    return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** "Translators:" comments ending on the line before the call (or on its line), found in the
 *  leading trivia of the call and its ancestors up to the enclosing statement. */
function translatorComments(sourceFile: ts.SourceFile, call: ts.Node): string[] {
    const text = sourceFile.text;
    const callLine = lineOf(sourceFile, call);
    const found: string[] = [];
    for (let node: ts.Node | undefined = call; node && !ts.isSourceFile(node); node = node.parent) {
        for (const range of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
            const endLine = sourceFile.getLineAndCharacterOfPosition(range.end).line + 1;
            if (callLine - endLine > 1)
                continue;
            const body = text.slice(range.pos, range.end)
                .replace(/^\/\/\s?|^\/\*+\s?|\s*\*+\/$/g, '')
                .split('\n').map(l => l.replace(/^\s*\*?\s?/, '').trim()).join(' ').trim();
            if (/^translators:/i.test(body) && !found.includes(body))
                found.push(body);
        }
        if (ts.isStatement(node) || ts.isClassElement(node))
            break;
    }
    return found;
}

function snippet(node: ts.Node, sourceFile: ts.SourceFile): string {
    const text = node.getText(sourceFile).replace(/\s+/g, ' ');
    return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

function scriptKind(path: string): ts.ScriptKind {
    return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

export function extractFromSource(source: SourceText): Extraction {
    const sourceFile = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, scriptKind(source.path));
    const messages: Message[] = [];
    const errors: ExtractionError[] = [];
    const lenient = source.path === GETTEXT_MODULE;

    const fail = (node: ts.Node, problem: string) => {
        if (!lenient)
            errors.push({ file: source.path, line: lineOf(sourceFile, node), problem });
    };

    const visitCall = (call: ts.CallExpression) => {
        const callee = calleeShapes(call);
        if (!callee)
            return;
        const args = call.arguments;
        const shape = callee.shapes[args.length];
        if (!shape || args.some(a => ts.isSpreadElement(a))) {
            const counts = Object.keys(callee.shapes).join(' or ');
            fail(call, `${callee.name}() takes ${counts} arguments: ${snippet(call, sourceFile)}`);
            return;
        }
        const literal = (index: number | undefined): string | undefined | null => {
            if (index === undefined)
                return undefined;
            const value = literalValue(args[index]);
            if (value === undefined) {
                fail(args[index], `${callee.name}() needs a string literal, not ${snippet(args[index], sourceFile)}`);
                return null;
            }
            return value;
        };
        const msgctxt = literal(shape.context);
        const msgid = literal(shape.msgid);
        const msgidPlural = literal(shape.plural);
        if (msgctxt === null || msgid === null || msgidPlural === null || msgid === undefined)
            return;
        if (msgid === '') {
            fail(args[shape.msgid], `${callee.name}() with an empty string: "" is the catalog header`);
            return;
        }
        const message: Message = {
            msgid,
            reference: `${source.path}:${lineOf(sourceFile, args[shape.msgid])}`,
            comments: translatorComments(sourceFile, call),
        };
        if (msgctxt !== undefined)
            message.msgctxt = msgctxt;
        if (msgidPlural !== undefined)
            message.msgidPlural = msgidPlural;
        messages.push(message);
    };

    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node))
            visitCall(node);
        ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return { messages, errors };
}

export function extractFromSources(sources: SourceText[]): Extraction {
    const results = sources.map(extractFromSource);
    return {
        messages: results.flatMap(r => r.messages),
        errors: results.flatMap(r => r.errors),
    };
}
