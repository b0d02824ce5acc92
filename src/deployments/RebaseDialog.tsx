// Rebase (rpm-ostree rebase / bootc switch) and Deploy (a version or commit): one text
// field, checked as it is typed, so nothing the host would misread reaches its argv.
import { Button, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import { _ } from '../../pkg/lib/gettext';
import type { DeploymentsTool } from './actions';
import { validateRebaseTarget } from './origin-parser';
import { rebaseProblemText } from './rebase-problem-text';
import { validateRevision } from './revision';

export type TargetKind = 'rebase' | 'deploy';

/** Why the typed value cannot go to the tool, in words; null when it can. */
function problemOf(kind: TargetKind, value: string, tool: DeploymentsTool): string | null {
    if (kind === 'deploy') {
        const revision = validateRevision(value);
        return revision.ok ? null : revision.reason;
    }
    const target = validateRebaseTarget(value, tool);
    return target.ok ? null : rebaseProblemText(target.problem);
}

export function TargetDialog({ kind, tool, current, onSubmit, onClose }: {
    kind: TargetKind;
    tool: DeploymentsTool;
    /** The running deployment's origin, as a starting point to edit. */
    current: string;
    onSubmit: (value: string) => void;
    onClose: () => void;
}) {
    const [value, setValue] = useState(kind === 'rebase' ? current : '');
    const [touched, setTouched] = useState(false);
    const unchanged = kind === 'rebase' && value.trim() === current;
    const error = problemOf(kind, value.trim(), tool) ?? (unchanged ? _("This is the current origin.") : null);
    const id = kind === 'rebase' ? 'rebase-dialog' : 'deploy-dialog';
    const submit = () => {
        setTouched(true);
        if (error === null)
            onSubmit(value.trim());
    };
    return (
        <Modal variant="small" isOpen onClose={onClose} id={id} aria-labelledby={`${id}-title`}>
            <ModalHeader title={kind === 'rebase' ? _("Rebase to another origin") : _("Deploy a version")} labelId={`${id}-title`} />
            <ModalBody>
                <Form onSubmit={event => { event.preventDefault(); submit() }}>
                    <FormGroup label={kind === 'rebase' ? (tool === 'bootc' ? _("Image") : _("Ref or image")) : _("Version or commit")} isRequired fieldId={`${id}-value`}>
                        <TextInput id={`${id}-value`} value={value} onChange={(_e, v) => { setValue(v); setTouched(true) }}
                            validated={touched && error ? 'error' : 'default'} autoFocus />
                        <FormHelperText>
                            <HelperText>
                                {touched && error
                                    ? <HelperTextItem variant="error" id={`${id}-error`}>{error}</HelperTextItem>
                                    : <HelperTextItem>
                                        {kind === 'rebase'
                                            ? (tool === 'bootc'
                                                ? _("A container image, e.g. quay.io/fedora/fedora-bootc:42")
                                                : _("remote:ref (fedora:fedora/41/x86_64/silverblue) or ostree-image-signed:docker://ghcr.io/ublue-os/bluefin:stable"))
                                            : _("A version of this branch (41.20241101.0) or a commit checksum")}
                                    </HelperTextItem>}
                            </HelperText>
                        </FormHelperText>
                    </FormGroup>
                </Form>
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" onClick={submit} isDisabled={touched && error !== null}>{_("Continue")}</Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
