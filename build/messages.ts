// What the extractors find: one translatable message and where it was seen.

export interface Message {
    msgctxt?: string;
    msgid: string;
    msgidPlural?: string;
    /** "path:line", path relative to the repository root with forward slashes. */
    reference: string;
    /** "Translators:" comments next to the call. */
    comments: string[];
}

/** A call the extractor refuses (e.g. _(variable)), reported as "file:line: problem". */
export interface ExtractionError {
    file: string;
    line: number;
    problem: string;
}

export function formatExtractionError(error: ExtractionError): string {
    return `${error.file}:${error.line}: ${error.problem}`;
}

/** Translation domain, also the pot's file name. */
export const DOMAIN = 'cockpit-ai-workstation';
