// Package changes between the running deployment and another one (rpm-ostree db diff,
// unprivileged: it reads the local repository only).
import { Modal, ModalBody, ModalHeader, Skeleton } from '@patternfly/react-core';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ErrorAlert } from '../app/ErrorAlert';
import type { Deployment } from './deployment';
import { deploymentTitle } from './deployment-text';
import { readPackageDiff } from './deployments-client';
import { PackageChangesList } from './PackageChangesList';

export function PackageDiffModal({ from, to, onClose }: { from: Deployment, to: Deployment, onClose: () => void }) {
    const { state, reload } = useAsync(() => readPackageDiff(from.checksum, to.checksum), [from.checksum, to.checksum]);
    return (
        <Modal variant="large" isOpen onClose={onClose} id="package-diff" aria-labelledby="package-diff-title">
            <ModalHeader labelId="package-diff-title"
                title={format(_("From $0 to $1"), deploymentTitle(from), deploymentTitle(to))} />
            <ModalBody>
                {state.status === 'loading' && <Skeleton height="10rem" screenreaderText={_("Comparing the package databases")} />}
                {state.status === 'error' && <ErrorAlert title={_("The package changes could not be read")} error={state.error} onRetry={reload} />}
                {state.status === 'ready' && <PackageChangesList changes={state.data.changes} id="package-diff-list" />}
            </ModalBody>
        </Modal>
    );
}
