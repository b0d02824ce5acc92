// Everything the status says about one deployment, shown when its row is expanded.
import {
    Content, DescriptionList, List, ListItem,
} from '@patternfly/react-core';
import { _, format } from '../../pkg/lib/gettext';
import type { Deployment } from './deployment';
import { originKind, timeText } from './deployment-text';
import { FactTerm } from '../app/FactTerm';


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
            <FactTerm term={_("Origin")} field="origin">
                <Content component="p">{originKind(d.origin)}</Content>
                <code className="aiws-command">{d.origin?.text ?? '—'}</code>
            </FactTerm>
            <FactTerm term={_("Commit")} field="checksum"><code className="aiws-command">{d.checksum}</code></FactTerm>
            {d.imageDigest && <FactTerm term={_("Image digest")} field="digest"><code className="aiws-command">{d.imageDigest}</code></FactTerm>}
            <FactTerm term={_("Created")} field="timestamp">{timeText(d.timestamp)}</FactTerm>
            <FactTerm term={_("Kernel")} field="kernel">{d.kernel?.version ?? _("Not reported by the status")}</FactTerm>
            {d.base &&
                <FactTerm term={_("Base commit")} field="base">
                    {format(_("$0 ($1)"), d.base.version ?? '—', d.base.checksum.slice(0, 12))}
                </FactTerm>}
            {d.pendingBase &&
                <FactTerm term={_("Newer base downloaded")} field="pending-base">
                    {format(_("$0 ($1)"), d.pendingBase.version ?? '—', d.pendingBase.checksum.slice(0, 12))}
                </FactTerm>}
            <FactTerm term={_("Layered packages")} field="layered"><Names names={layered} /></FactTerm>
            {localLayered.length > 0 && <FactTerm term={_("Layered local packages")} field="layered-local"><Names names={localLayered} /></FactTerm>}
            <FactTerm term={_("Removed base packages")} field="removed"><Names names={removed} /></FactTerm>
            <FactTerm term={_("Replaced base packages")} field="replaced"><Names names={[...replaced, ...remote]} /></FactTerm>
            {d.initramfs.regenerate &&
                <FactTerm term={_("Initramfs")} field="initramfs">
                    {d.initramfs.args.length > 0 ? format(_("Regenerated on the host with $0"), d.initramfs.args.join(' ')) : _("Regenerated on the host")}
                </FactTerm>}
            {d.live.replaced && <FactTerm term={_("Live changes")} field="live">{format(_("Applied live: $0"), d.live.replaced.slice(0, 12))}</FactTerm>}
            {d.endOfLife && <FactTerm term={_("End of life")} field="eol">{d.endOfLife}</FactTerm>}
            {d.finalizationLocked && <FactTerm term={_("Finalization")} field="locked">{_("Locked: it is not applied at shutdown until unlocked")}</FactTerm>}
            {d.incompatible && <FactTerm term={_("bootc")} field="incompatible">{_("Has changes bootc does not manage (for example layered packages)")}</FactTerm>}
        </DescriptionList>
    );
}
