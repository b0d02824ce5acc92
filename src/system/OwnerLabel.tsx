// What a process belongs to, as its control group says (process-owner.ts): one way of showing
// it for the GPUs tab's processes and the Network egress tab's connections.
import { Label } from '@patternfly/react-core';
import { _, format } from '../../pkg/lib/gettext';
import { MISSING } from '../gpus/format';
import type { ProcessOwner } from './process-owner';

export function OwnerLabel({ owner }: { owner: ProcessOwner | null }) {
    if (!owner)
        return <>{MISSING}</>;
    switch (owner.kind) {
    case 'container':
        return (
            <>
                <Label isCompact color="blue">{_("Container")}</Label>{' '}
                <span title={owner.id}>{owner.id.slice(0, 12)}</span>
                {owner.unit && <span className="aiws-muted">{` (${owner.unit})`}</span>}
            </>
        );
    case 'unit':
        return <><Label isCompact color="green">{_("Service")}</Label>{' '}{owner.unit}</>;
    case 'user-session':
        return (
            <>
                <Label isCompact color="grey">{_("User session")}</Label>{' '}
                {owner.unit ?? owner.session ?? (owner.uid !== null ? format(_("UID $0"), owner.uid) : MISSING)}
            </>
        );
    case 'unknown':
        // '/' is every process of a host on cgroup v1: it tells nothing
        return owner.path && owner.path !== '/' ? <span className="aiws-muted">{owner.path}</span> : <>{MISSING}</>;
    }
}
