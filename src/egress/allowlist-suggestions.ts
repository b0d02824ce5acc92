// Audit mode's harvest: what the host reached on the internet that default deny would
// refuse, as allowlist lines. Flagged endpoints (cloud AI, telemetry, model hubs) are never
// suggested: letting them through is the admin's explicit choice. Pure.
import type { AllowlistEntry } from './allowlist';
import type { EgressConnection } from './connections';
import { networkContains } from './ip-network';

export interface Suggestion {
    /** The allowlist line: the peer's host name, or its address when it has none. */
    value: string;
    /** Programs seen reaching it. */
    programs: string[];
}

export function suggestAllowlist(connections: readonly EgressConnection[], listed: readonly AllowlistEntry[], resolvers: readonly string[] = []): Suggestion[] {
    const taken = new Set(listed.map(entry => entry.value));
    const networks = listed.filter(entry => entry.kind === 'network').map(entry => entry.value);
    const suggestions = new Map<string, Suggestion>();
    for (const connection of connections) {
        if (connection.peerClass !== 'internet' || connection.direction === 'inbound' || connection.flag !== null || resolvers.includes(connection.peer.address))
            continue;
        const value = connection.peerName ?? connection.peer.address;
        if (taken.has(value) || taken.has(connection.peer.address) || networks.some(network => networkContains(network, connection.peer.address)))
            continue;
        const suggestion = suggestions.get(value) ?? { value, programs: [] };
        for (const process of connection.owner.processes)
            if (!suggestion.programs.includes(process.name))
                suggestion.programs.push(process.name);
        suggestions.set(value, suggestion);
    }
    return [...suggestions.values()].sort((a, b) => a.value.localeCompare(b.value));
}
