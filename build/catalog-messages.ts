// The descriptions of the model catalog the package ships (src/models/catalog.json),
// which the Models tab shows through translateShipped(). Server names are product names
// and stay as they are. Pure: catalog text in, messages out.

import type { Message } from './messages';

export const CATALOG_FILE = 'src/models/catalog.json';

function lineOf(text: string, needle: string): number {
    const at = text.indexOf(JSON.stringify(needle));
    return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

export function extractCatalogMessages(text: string, file: string): Message[] {
    let catalog: unknown;
    try {
        catalog = JSON.parse(text);
    } catch (ex) {
        throw new Error(`${file}: ${ex instanceof Error ? ex.message : String(ex)}`);
    }
    const servers = (catalog as { servers?: unknown }).servers;
    if (!Array.isArray(servers))
        throw new Error(`${file}: no "servers" list`);
    return servers.flatMap(server => {
        const description = (server as { description?: unknown }).description;
        return typeof description === 'string' && description !== ''
            ? [{ msgid: description, reference: `${file}:${lineOf(text, description)}`, comments: ['Translators: a model server in the catalog'] }]
            : [];
    });
}
