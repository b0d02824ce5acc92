// One server up close: how it is hardened (read back from podman, not from what the page
// meant to set), its CPU and memory, and its log followed live.
import {
    CodeBlock, CodeBlockCode, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm,
    Label, LabelGroup, Modal, ModalBody, ModalHeader, ModalVariant, Skeleton, Stack, Title,
} from '@patternfly/react-core';
import { useEffect, useRef, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import type { ContainerDetails } from './libpod-inspect-parser';
import type { ContainerStats } from './libpod-stats-parser';
import { LogFrameDecoder } from './log-frames';
import { hardeningMarks, type HardeningMark } from './hardening';
import { PRIVATE_NETWORK, type ModelServer } from './model-server';
import type { FirewallState } from './models-firewall';
import type { PodmanClient } from './podman-client';

const STATS_PERIOD_MS = 5000;
const LOG_LINES_KEPT = 1000;

function bytes(n: number): string {
    if (n >= 1024 ** 3)
        return `${(n / 1024 ** 3).toFixed(1)} GiB`;
    return `${Math.round(n / 1024 ** 2)} MiB`;
}

function markText(mark: HardeningMark, details: ContainerDetails): string {
    switch (mark.check) {
    case 'capabilities': return mark.ok ? _("all capabilities dropped") : _("keeps capabilities");
    case 'no-new-privileges': return mark.ok ? _("no new privileges") : _("may gain privileges");
    case 'model-read-only': return mark.ok ? _("model mounted read-only") : _("model not mounted read-only");
    case 'read-only-root': return mark.ok ? _("read-only root file system") : _("writable root file system");
    case 'loopback-only': return mark.ok ? _("published on 127.0.0.1 only") : _("published beyond 127.0.0.1");
    case 'no-outbound': return mark.ok ? _("no outbound network") : _("can open outbound connections");
    case 'memory-limit': return details.memoryLimit !== null ? format(_("memory limit $0"), bytes(details.memoryLimit)) : _("no memory limit");
    }
}

function Hardening({ details, firewall }: { details: ContainerDetails, firewall: FirewallState | null }) {
    const marks = hardeningMarks(details, firewall);
    const privateNet = details.networks.includes(PRIVATE_NETWORK);
    return (
        <>
            <LabelGroup numLabels={10} id="server-hardening">
                {marks.map(mark =>
                    <Label key={mark.check} color={mark.ok ? 'green' : 'orange'} isCompact data-check={mark.check} data-ok={mark.ok}>
                        {markText(mark, details)}
                    </Label>)}
            </LabelGroup>
            {privateNet &&
                <p>
                    <small>
                        {firewall?.loaded
                            ? format(_("Outbound connections are refused by the nftables table inet ai_workstation_models ($0 refused so far)."),
                                     firewall.refusedOutbound + firewall.refusedToHost)
                            : _("The nftables table that refuses outbound connections is not loaded: this server can reach the network.")}
                    </small>
                </p>}
        </>
    );
}

export function ServerDetailsModal({ server, client, firewall, onClose }: {
    server: ModelServer, client: PodmanClient, firewall: FirewallState | null, onClose: () => void,
}) {
    const [details, setDetails] = useState<ContainerDetails | null>(null);
    const [error, setError] = useState<unknown>(null);
    const [stats, setStats] = useState<ContainerStats | null>(null);
    const [lines, setLines] = useState<string[]>([]);
    const [logError, setLogError] = useState<unknown>(null);
    const logEnd = useRef<HTMLDivElement>(null);

    useEffect(() => {
        client.inspect(server.name).then(setDetails, setError);
    }, [client, server.name, server.state]);

    useEffect(() => {
        if (server.state !== 'running')
            return;
        let alive = true;
        const read = () => client.stats(server.name).then(s => alive && setStats(s), () => undefined);
        read();
        const timer = setInterval(read, STATS_PERIOD_MS);
        return () => {
            alive = false;
            clearInterval(timer);
        };
    }, [client, server.name, server.state]);

    useEffect(() => {
        const decoder = new LogFrameDecoder();
        setLines([]);
        setLogError(null);
        const stream = client.followLogs(server.name, chunk => {
            const more = decoder.push(chunk).map(l => l.text);
            if (more.length > 0)
                setLines(previous => [...previous, ...more].slice(-LOG_LINES_KEPT));
        });
        stream.done.catch(setLogError);
        return () => stream.close();
    }, [client, server.name, server.startedAt]);

    useEffect(() => {
        logEnd.current?.scrollIntoView?.({ block: 'nearest' });
    }, [lines]);

    return (
        <Modal variant={ModalVariant.large} isOpen onClose={onClose} id="server-details-modal" aria-labelledby="server-details-title">
            <ModalHeader title={server.name} labelId="server-details-title" description={server.image} />
            <ModalBody><Stack hasGutter>
                {error !== null && <ErrorAlert title={_("podman could not describe the container")} error={error} />}
                {details === null && error === null && <Skeleton screenreaderText={_("Reading the container")} />}
                {details && <Hardening details={details} firewall={firewall} />}
                <DescriptionList isHorizontal isCompact columnModifier={{ default: '2Col' }}>
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("CPU")}</DescriptionListTerm>
                        <DescriptionListDescription data-field="cpu">{stats ? `${stats.cpuPercent.toFixed(1)} %` : '—'}</DescriptionListDescription>
                    </DescriptionListGroup>
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("Memory")}</DescriptionListTerm>
                        <DescriptionListDescription data-field="memory">
                            {stats ? format(_("$0 of $1"), bytes(stats.memUsage), bytes(stats.memLimit)) : '—'}
                        </DescriptionListDescription>
                    </DescriptionListGroup>
                    {details &&
                        <DescriptionListGroup>
                            <DescriptionListTerm>{_("Command")}</DescriptionListTerm>
                            <DescriptionListDescription><code>{[...details.entrypoint, ...details.command].join(' ')}</code></DescriptionListDescription>
                        </DescriptionListGroup>}
                    {details?.error &&
                        <DescriptionListGroup>
                            <DescriptionListTerm>{_("Error")}</DescriptionListTerm>
                            <DescriptionListDescription>{details.error}</DescriptionListDescription>
                        </DescriptionListGroup>}
                </DescriptionList>
                <Title headingLevel="h3" size="md">{_("Log")}</Title>
                {logError !== null && <ErrorAlert title={_("The log stream ended")} error={logError} />}
                <CodeBlock id="server-log">
                    <CodeBlockCode>{lines.length > 0 ? lines.join('\n') : _("(nothing logged yet)")}</CodeBlockCode>
                    <div ref={logEnd} />
                </CodeBlock>
            </Stack></ModalBody>
        </Modal>
    );
}
