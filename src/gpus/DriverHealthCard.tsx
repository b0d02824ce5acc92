// The verdict on the NVIDIA driver (one named condition, its cause and the next step)
// and the facts it rests on.
import {
    Alert, Card, CardBody, CardHeader, CardTitle, Content, DescriptionList, ExpandableSection, Label, List, ListItem,
} from '@patternfly/react-core';
import { useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import type { Diagnosis, DriverFacts, SecureBootState, Severity } from './gpu';
import { MISSING } from './format';
import { isSignerEnrolled } from './mokutil-parser';
import { RemedyText } from './RemedyText';
import { FactTerm } from '../app/FactTerm';

export function alertVariant(severity: Severity): 'success' | 'warning' | 'danger' | 'info' {
    return severity === 'ok' ? 'success' : severity;
}


function secureBootText(state: SecureBootState | null): string {
    switch (state) {
    case 'enabled': return _("Enabled");
    case 'disabled': return _("Disabled");
    case 'no-efi': return _("Not available (the host does not boot with EFI)");
    case 'unsupported': return _("Not supported by this firmware");
    case null: return _("Unknown (mokutil is not installed)");
    }
}

function Match({ ok }: { ok: boolean }) {
    return ok
        ? <Label isCompact color="green">{_("matches")}</Label>
        : <Label isCompact color="red">{_("does not match")}</Label>;
}

export function DriverFactsList({ facts }: { facts: DriverFacts }) {
    const modinfo = facts.module.modinfo;
    const flavour = facts.module.procVersion?.flavour ?? modinfo?.flavour ?? null;
    const signer = modinfo?.signer ?? null;
    const enrolled = signer && facts.enrolledKeys ? isSignerEnrolled(signer, facts.enrolledKeys) : null;
    const userspace = facts.nvidiaSmi.kind === 'ok' ? facts.nvidiaSmi.driverVersion : null;
    const blacklist = facts.nouveauBlacklist;
    const blacklisted = blacklist ? blacklist.modprobe || blacklist.kernelArgs : null;
    return (
        <DescriptionList isCompact isHorizontal horizontalTermWidthModifier={{ default: '16ch' }} columnModifier={{ lg: '2Col' }} id="driver-facts">
            <FactTerm term={_("Loaded kernel module")} field="loaded-module">
                {facts.module.loadedVersion ?? _("Not loaded")}
            </FactTerm>
            <FactTerm term={_("Module type")} field="module-flavour">
                {flavour === 'open' ? _("Open kernel module") : flavour === 'proprietary' ? _("Proprietary kernel module") : MISSING}
            </FactTerm>
            <FactTerm term={_("Module for the running kernel")} field="module-file">
                {modinfo
                    ? <>
                        {format(_("$0 for $1"), modinfo.version ?? MISSING, modinfo.vermagicKernel ?? MISSING)}{' '}
                        {modinfo.vermagicKernel && facts.kernelRelease && <Match ok={modinfo.vermagicKernel === facts.kernelRelease} />}
                    </>
                    : _("None found")}
            </FactTerm>
            <FactTerm term={_("Running kernel")} field="kernel">{facts.kernelRelease ?? MISSING}</FactTerm>
            <FactTerm term={_("Userspace (NVML) version")} field="userspace">
                {userspace ?? MISSING}{' '}
                {userspace && facts.module.loadedVersion && <Match ok={userspace === facts.module.loadedVersion} />}
            </FactTerm>
            <FactTerm term={_("Module signed by")} field="signer">
                {modinfo ? (signer ?? _("Not signed")) : MISSING}
                {enrolled !== null && <>{' '}{enrolled
                    ? <Label isCompact color="green">{_("key enrolled")}</Label>
                    // without Secure Boot an unenrolled key changes nothing
                    : <Label isCompact color={facts.secureBoot === 'enabled' ? 'red' : 'grey'}>{_("key not enrolled")}</Label>}</>}
            </FactTerm>
            <FactTerm term={_("Secure Boot")} field="secure-boot">{secureBootText(facts.secureBoot)}</FactTerm>
            <FactTerm term={_("nouveau blacklisted")} field="nouveau-blacklist">
                {blacklisted === null ? MISSING : blacklisted ? format(_("Yes ($0)"), blacklist?.sources.join(', ') ?? '') : _("No")}
            </FactTerm>
            <FactTerm term={_("CDI spec for containers")} field="cdi">
                {facts.cdiSpecs.length === 0
                    ? _("None (containers cannot ask for the GPU by CDI name)")
                    : facts.cdiSpecs.map(spec => (
                        <div key={spec.path}>
                            {format(_("$0, for driver $1"), spec.path, spec.driverVersion ?? MISSING)}{' '}
                            {spec.driverVersion && facts.module.loadedVersion && <Match ok={spec.driverVersion === facts.module.loadedVersion} />}
                        </div>
                    ))}
            </FactTerm>
            <FactTerm term={_("Kernel taint")} field="taint">
                {facts.taint === null
                    ? MISSING
                    : facts.taint.flags.length === 0 ? _("None") : facts.taint.flags.map(flag => `${flag.letter} (${flag.name})`).join(', ')}
            </FactTerm>
            {facts.unreadable.length > 0 &&
                <FactTerm term={_("Could not read")} field="unreadable">
                    {format(_("$0 answered in a form this page does not understand; the facts from there are unknown."), facts.unreadable.join(', '))}
                </FactTerm>}
        </DescriptionList>
    );
}

export function DriverHealthCard({ diagnosis, facts }: { diagnosis: Diagnosis, facts: DriverFacts | null }) {
    const [open, setOpen] = useState(diagnosis.severity !== 'ok');
    return (
        <Card isCompact id="driver-health" data-condition={diagnosis.condition}>
            <CardHeader><CardTitle component="h2">{_("Driver health")}</CardTitle></CardHeader>
            <CardBody>
                <Alert variant={alertVariant(diagnosis.severity)} isInline title={diagnosis.title} id="diagnosis">
                    <Content component="p" data-field="cause">{diagnosis.cause}</Content>
                    <Content component="p" data-field="remedy"><strong>{_("What to do:")}</strong>{' '}<RemedyText text={diagnosis.remedy} /></Content>
                    {diagnosis.details && diagnosis.details.length > 0 &&
                        <List isPlain data-field="details">
                            {diagnosis.details.map(detail => <ListItem key={detail}><code className="aiws-command">{detail}</code></ListItem>)}
                        </List>}
                </Alert>
                {facts &&
                    <ExpandableSection toggleText={open ? _("Hide driver facts") : _("Show driver facts")} isExpanded={open} onToggle={(_e, value) => setOpen(value)}>
                        <DriverFactsList facts={facts} />
                    </ExpandableSection>}
            </CardBody>
        </Card>
    );
}
