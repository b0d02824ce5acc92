// The Models tab's data: podman's servers (use-podman-servers.ts), the site catalog and
// Quadlet files on the host, and the nftables table that keeps servers from reaching out.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import type { ParseError } from '../../pkg/lib/parse-error';
import type { PodmanVersion } from './libpod-version';
import { mergeCatalogs, shippedCatalog, type CatalogEntry } from './catalog';
import { readFirewallState, readModelsHostFiles } from './models-host';
import type { FirewallState } from './models-firewall';
import { parseQuadletFile, type QuadletServer } from './quadlet';
import { usePodmanServers, type PodmanServers } from './use-podman-servers';

export interface ModelsData extends PodmanServers {
    /** null until podman said it (or when it could not). */
    podmanVersion: PodmanVersion | null;
    catalog: CatalogEntry[];
    catalogProblems: ParseError[];
    quadlets: QuadletServer[];
    firewall: FirewallState | null;
    firewallError: unknown;
    reloadFirewall(): void;
}

export function useModels(admin: AdminAccess, podmanInstalled: boolean | null, socketPresent: boolean | null): ModelsData {
    const podman = usePodmanServers(admin, podmanInstalled, socketPresent);
    const [hostFiles, setHostFiles] = useState<Awaited<ReturnType<typeof readModelsHostFiles>> | null>(null);
    const [firewall, setFirewall] = useState<FirewallState | null>(null);
    const [firewallError, setFirewallError] = useState<unknown>(null);

    const [podmanVersion, setPodmanVersion] = useState<PodmanVersion | null>(null);
    const client = podman.access.kind === 'ready' ? podman.access.client : null;
    useEffect(() => {
        if (!client)
            return;
        let alive = true;
        client.version().then(v => alive && setPodmanVersion(v), () => undefined);
        return () => {
            alive = false;
        };
    }, [client]);

    const filesGeneration = useRef(0);
    const loadFiles = useCallback(() => {
        // reads overlap when events come quickly: only the newest one counts
        const mine = ++filesGeneration.current;
        const settle = (files: Awaited<ReturnType<typeof readModelsHostFiles>>) => mine === filesGeneration.current && setHostFiles(files);
        readModelsHostFiles().then(settle, () => settle({ catalogFiles: [], quadletFiles: [] }));
    }, []);

    const reloadFirewall = useCallback(() => {
        if (admin !== true)
            return;
        readFirewallState().then(state => {
            setFirewall(state);
            setFirewallError(null);
        }, setFirewallError);
    }, [admin]);

    useEffect(loadFiles, [loadFiles]);
    useEffect(reloadFirewall, [reloadFirewall]);

    // Quadlet files change with the servers (start at boot, delete): read them with each list
    const servers = podman.servers;
    useEffect(() => {
        if (servers !== null)
            loadFiles();
    }, [servers, loadFiles]);

    const { catalog, catalogProblems } = useMemo(() => {
        const merged = mergeCatalogs(shippedCatalog(), (hostFiles?.catalogFiles ?? []).map(f => ({ path: f.path, text: f.text })));
        return { catalog: merged.entries, catalogProblems: merged.problems };
    }, [hostFiles]);

    const quadlets = useMemo(() => (hostFiles?.quadletFiles ?? [])
            .map(f => parseQuadletFile(f.path.split('/').pop() ?? f.path, f.text))
            .filter((q): q is QuadletServer => q !== null), [hostFiles]);

    return { ...podman, podmanVersion, catalog, catalogProblems, quadlets, firewall, firewallError, reloadFirewall };
}
