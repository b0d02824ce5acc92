// Everything the status says about one deployment, shown when its row is expanded.
import {
    Content, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, List, ListItem,
} from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import type { Deployment } from './deployment';
import { originKind, timeText } from './deployment-text';

function Term({ term, field, children }: { term: string, field: string, children: ReactNode }) {
    return (
        <DescriptionListGroup>
            <DescriptionListTerm>{term}</DescriptionListTerm>
            <DescriptionListDescription data-field={field}>{children}</DescriptionListDescription>
        </DescriptionListGroup>
    );
}

function Names({ names }: { names: readonly string[] }) {
    return names.length === 0
        ? <>{_("None")}</>
        : <List isPlain>{names.map(name => <ListItem key={name}>{name}</ListItem>)}</List>;
}

export function DeploymentDetails({ deployment: d }: { deployment: Deployment }) {
    const layered = [...new Set([...d.layering.requested, ...d.layering.packages])];
    const localLayered = d.layering.requestedLocal;
    const removed = d.removals.removed.length > 0 ? d.removals.removed.map(p => p.nevra) : d.removals.requested;
    const replaced = d.overrides.local.map(r => format(_("$0 replaces $1"), r.replacement.nevra, r.replaced.nevra));
    const remote = Object.entries(d.overrides.remote).map(([source, packages]) => format(_("$0 from $1"), packages.join(', '), source));
    return (
        <DescriptionList isCompact isHorizontal horizontalTermWidthModifier={{ default: '18ch' }} columnModifier={{ lg: '2Col' }}
            data-deployment={d.index}>
            <Term term={_("Origin")} field="origin">
                <Content component="p">{originKind(d.origin)}</Content>
                <code className="aiws-command">{d.origin?.text ?? '—'}</code>
            </Term>
            <Term term={_("Commit")} field="checksum"><code className="aiws-command">{d.checksum}</code></Term>
            {d.imageDigest && <Term term={_("Image digest")} field="digest"><code className="aiws-command">{d.imageDigest}</code></Term>}
            <Term term={_("Created")} field="timestamp">{timeText(d.timestamp)}</Term>
            <Term term={_("Kernel")} field="kernel">{d.kernel?.version ?? _("Not reported by the status")}</Term>
            {d.base &&
                <Term term={_("Base commit")} field="base">
                    {format(_("$0 ($1)"), d.base.version ?? '—', d.base.checksum.slice(0, 12))}
                </Term>}
            {d.pendingBase &&
                <Term term={_("Newer base downloaded")} field="pending-base">
                    {format(_("$0 ($1)"), d.pendingBase.version ?? '—', d.pendingBase.checksum.slice(0, 12))}
                </Term>}
            <Term term={_("Layered packages")} field="layered"><Names names={layered} /></Term>
            {localLayered.length > 0 && <Term term={_("Layered local packages")} field="layered-local"><Names names={localLayered} /></Term>}
            <Term term={_("Removed base packages")} field="removed"><Names names={removed} /></Term>
            <Term term={_("Replaced base packages")} field="replaced"><Names names={[...replaced, ...remote]} /></Term>
            {d.initramfs.regenerate &&
                <Term term={_("Initramfs")} field="initramfs">
                    {d.initramfs.args.length > 0 ? format(_("Regenerated on the host with $0"), d.initramfs.args.join(' ')) : _("Regenerated on the host")}
                </Term>}
            {d.live.replaced && <Term term={_("Live changes")} field="live">{format(_("Applied live: $0"), d.live.replaced.slice(0, 12))}</Term>}
            {d.endOfLife && <Term term={_("End of life")} field="eol">{d.endOfLife}</Term>}
            {d.finalizationLocked && <Term term={_("Finalization")} field="locked">{_("Locked: it is not applied at shutdown until unlocked")}</Term>}
            {d.incompatible && <Term term={_("bootc")} field="incompatible">{_("Has changes bootc does not manage (for example layered packages)")}</Term>}
        </DescriptionList>
    );
}
