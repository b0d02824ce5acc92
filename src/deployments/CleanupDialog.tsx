// What to clean up (rpm-ostree cleanup): the staged deployment, the rollback deployment,
// the cached metadata. Only what exists can be picked.
import { Button, Checkbox, Form, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import { _ } from '../../pkg/lib/gettext';
import type { DeploymentAction } from './actions';
import type { DeploymentsStatus } from './deployment';

export function CleanupDialog({ status, onSubmit, onClose }: {
    status: DeploymentsStatus;
    onSubmit: (action: Extract<DeploymentAction, { kind: 'cleanup' }>) => void;
    onClose: () => void;
}) {
    const hasPending = status.deployments.some(d => d.staged || d.roles.includes('pending'));
    const hasRollback = status.deployments.some(d => !d.booted && !d.staged && !d.roles.includes('pending'));
    const [pending, setPending] = useState(false);
    const [rollback, setRollback] = useState(false);
    const [cache, setCache] = useState(false);
    return (
        <Modal variant="small" isOpen onClose={onClose} id="cleanup-dialog" aria-labelledby="cleanup-dialog-title">
            <ModalHeader title={_("Clean up")} labelId="cleanup-dialog-title" />
            <ModalBody>
                <Form>
                    <Checkbox id="cleanup-pending" label={_("The pending (staged) deployment")} isChecked={pending} onChange={(_e, v) => setPending(v)}
                        isDisabled={!hasPending} description={hasPending ? undefined : _("There is none.")} />
                    <Checkbox id="cleanup-rollback" label={_("The rollback deployment")} isChecked={rollback} onChange={(_e, v) => setRollback(v)}
                        isDisabled={!hasRollback} description={hasRollback ? _("Pinned deployments are kept.") : _("There is none.")} />
                    <Checkbox id="cleanup-cache" label={_("Cached update metadata")} isChecked={cache} onChange={(_e, v) => setCache(v)} />
                </Form>
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" isDisabled={!pending && !rollback && !cache}
                    onClick={() => onSubmit({ kind: 'cleanup', pending, rollback, cache })}>{_("Continue")}</Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
