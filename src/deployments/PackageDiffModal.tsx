// Package changes between any two deployments (rpm-ostree db diff, unprivileged: it reads
// the local repository only). It opens on the running one against the one picked.
import { FormGroup, FormSelect, FormSelectOption, Modal, ModalBody, ModalHeader, Skeleton } from '@patternfly/react-core';
import { useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ErrorAlert } from '../app/ErrorAlert';
import type { Deployment } from './deployment';
import { deploymentTitle } from './deployment-text';
import { readPackageDiff } from './deployments-client';
import { PackageChangesList } from './PackageChangesList';

export function PackageDiffModal({ deployments, from: initialFrom, to, onClose }: {
    deployments: readonly Deployment[];
    from: Deployment;
    to: Deployment;
    onClose: () => void;
}) {
    const [fromId, setFromId] = useState(initialFrom.id);
    const from = deployments.find(d => d.id === fromId) ?? initialFrom;
    const { state, reload } = useAsync(() => readPackageDiff(from.checksum, to.checksum), [from.checksum, to.checksum]);
    return (
        <Modal variant="large" isOpen onClose={onClose} id="package-diff" aria-labelledby="package-diff-title">
            <ModalHeader labelId="package-diff-title" title={format(_("Package changes to $0"), deploymentTitle(to))} />
            <ModalBody>
                <FormGroup label={_("From")} fieldId="package-diff-from">
                    <FormSelect id="package-diff-from" value={fromId} onChange={(_e, value) => setFromId(value)} aria-label={_("Compare from")}>
                        {deployments.filter(d => d.id !== to.id).map(d => (
                            <FormSelectOption key={d.id} value={d.id} label={d.booted ? format(_("$0, running"), deploymentTitle(d)) : deploymentTitle(d)} />
                        ))}
                    </FormSelect>
                </FormGroup>
                {state.status === 'loading' && <Skeleton height="10rem" screenreaderText={_("Comparing the package databases")} />}
                {state.status === 'error' && <ErrorAlert title={_("The package changes could not be read")} error={state.error} onRetry={reload} />}
                {state.status === 'ready' && <PackageChangesList changes={state.data.changes} id="package-diff-list" />}
            </ModalBody>
        </Modal>
    );
}
