// Secure Boot and the machine owner keys: the state, whether the NVIDIA module's signer
// is enrolled, pending enrolments, and enrolling a signing key (mokutil --import, whose
// one-time password the admin types again in MokManager at the next boot).
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Content, DescriptionList, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, Label,
    Modal, ModalBody, ModalFooter, ModalHeader, Radio, TextInput,
} from '@patternfly/react-core';
import { useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ErrorAlert } from '../app/ErrorAlert';
import type { DriverFacts } from '../gpus/gpu';
import { isSignerEnrolled } from '../gpus/mokutil-parser';
import { importKey, readPendingKeys } from './kernel-io';
import { KNOWN_CERTIFICATES, mokPasswordRule, validateCertificatePath } from './mok';
import { FactTerm } from '../app/FactTerm';


function EnrollDialog({ onClose, onDone }: { onClose: () => void, onDone: () => void }) {
    const [choice, setChoice] = useState<string>(KNOWN_CERTIFICATES[0].path);
    const [custom, setCustom] = useState('');
    const [password, setPassword] = useState('');
    const [again, setAgain] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const path = choice === 'custom' ? custom.trim() : choice;
    const pathCheck = validateCertificatePath(path);
    const passwordCheck = mokPasswordRule(password);
    const mismatch = again !== '' && again !== password;
    const ready = pathCheck.ok && passwordCheck.ok && again === password;
    const submit = async () => {
        setBusy(true);
        setError(null);
        try {
            await importKey(path, password);
            onDone();
        } catch (e) {
            setError(e);
            setBusy(false);
        }
    };
    return (
        <Modal variant="medium" isOpen onClose={busy ? undefined : onClose} id="mok-dialog" aria-labelledby="mok-dialog-title">
            <ModalHeader title={_("Enroll a module signing key")} labelId="mok-dialog-title" />
            <ModalBody>
                <Content component="p">
                    {_("The key is queued for enrolment now. At the next boot the firmware shows the blue MokManager screen on the console: choose \"Enroll MOK\", then type the one-time password below. Someone must be at the console (or on a remote console) for that.")}
                </Content>
                <Form onSubmit={event => event.preventDefault()}>
                    <FormGroup role="radiogroup" label={_("Certificate")} fieldId="mok-cert" isStack>
                        {KNOWN_CERTIFICATES.map(cert => (
                            <Radio key={cert.id} id={`mok-cert-${cert.id}`} name="mok-cert" isChecked={choice === cert.path}
                                onChange={() => setChoice(cert.path)} label={cert.path} description={cert.origin} />
                        ))}
                        <Radio id="mok-cert-custom" name="mok-cert" isChecked={choice === 'custom'} onChange={() => setChoice('custom')} label={_("Another file")} />
                        {choice === 'custom' &&
                            <TextInput id="mok-cert-path" value={custom} onChange={(_e, v) => setCustom(v)} aria-label={_("Certificate file")} placeholder="/etc/pki/…/key.der" />}
                        {!pathCheck.ok && (choice !== 'custom' || custom !== '') &&
                            <FormHelperText><HelperText><HelperTextItem variant="error" id="mok-path-error">{pathCheck.reason}</HelperTextItem></HelperText></FormHelperText>}
                    </FormGroup>
                    <FormGroup label={_("One-time password")} fieldId="mok-password" isRequired>
                        <TextInput id="mok-password" type="password" value={password} onChange={(_e, v) => setPassword(v)} autoComplete="new-password" />
                        {!passwordCheck.ok && password !== '' &&
                            <FormHelperText><HelperText><HelperTextItem variant="error" id="mok-password-error">{passwordCheck.reason}</HelperTextItem></HelperText></FormHelperText>}
                    </FormGroup>
                    <FormGroup label={_("Password again")} fieldId="mok-password-again" isRequired>
                        <TextInput id="mok-password-again" type="password" value={again} onChange={(_e, v) => setAgain(v)} autoComplete="new-password"
                            validated={mismatch ? 'error' : 'default'} />
                        {mismatch && <FormHelperText><HelperText><HelperTextItem variant="error">{_("The passwords differ.")}</HelperTextItem></HelperText></FormHelperText>}
                    </FormGroup>
                </Form>
                {error !== null && <ErrorAlert title={_("The key could not be queued")} error={error} />}
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" id="mok-import" isDisabled={!ready || busy} isLoading={busy} onClick={() => { void submit() }}>{_("Queue for enrolment")}</Button>
                <Button variant="link" onClick={onClose} isDisabled={busy}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}

export function SecureBootCard({ facts, reason }: { facts: DriverFacts | null, reason: string | null }) {
    const pending = useAsync(readPendingKeys, []);
    const [enrolling, setEnrolling] = useState(false);
    const [queued, setQueued] = useState(false);
    const signer = facts?.module.modinfo?.signer ?? null;
    const enrolled = signer && facts?.enrolledKeys ? isSignerEnrolled(signer, facts.enrolledKeys) : null;
    const secureBoot = facts?.secureBoot ?? null;
    const pendingKeys = pending.state.status === 'ready' ? pending.state.data : null;
    const needsKey = secureBoot === 'enabled' && facts?.module.modinfo && (signer === null || enrolled === false);
    return (
        <Card isCompact id="secure-boot-card">
            <CardHeader actions={{
                actions: (
                    <Button variant="secondary" id="mok-enroll" isAriaDisabled={reason !== null || secureBoot === 'no-efi' || secureBoot === null}
                        onClick={() => setEnrolling(true)}>{_("Enroll a signing key…")}</Button>
                ),
                hasNoOffset: true,
            }}>
                <CardTitle component="h2">{_("Secure Boot and machine owner keys")}</CardTitle>
            </CardHeader>
            <CardBody>
                {needsKey &&
                    <Alert variant="danger" isInline id="secure-boot-problem"
                        title={signer === null ? _("Secure Boot is on and the NVIDIA module is not signed") : format(_("Secure Boot is on and the module's signer \"$0\" is not enrolled"), signer)}>
                        {signer === null
                            ? _("The kernel refuses unsigned modules under Secure Boot. Sign it with a key and enroll that key, or use a signed build.")
                            : _("Enroll the key that signed it: the kernel then accepts the module after the next boot and the MokManager confirmation.")}
                    </Alert>}
                {queued &&
                    <Alert variant="info" isInline id="mok-queued" title={_("The key waits for the next boot")}>
                        {_("Reboot, then confirm the enrolment in MokManager on the console with the one-time password.")}
                    </Alert>}
                <DescriptionList isCompact isHorizontal>
                    <FactTerm term={_("Secure Boot")} field="sb">
                        {secureBoot === 'enabled' ? _("On") : secureBoot === 'disabled' ? _("Off") : secureBoot === 'no-efi' ? _("Not available (no EFI)") : secureBoot === 'unsupported' ? _("Not supported") : _("Unknown (mokutil is not installed)")}
                    </FactTerm>
                    <FactTerm term={_("NVIDIA module signed by")} field="signer">
                        {facts?.module.modinfo ? (signer ?? _("Not signed")) : '—'}{' '}
                        {enrolled === true && <Label isCompact color="green">{_("enrolled")}</Label>}
                        {enrolled === false && <Label isCompact color={secureBoot === 'enabled' ? 'red' : 'grey'}>{_("not enrolled")}</Label>}
                    </FactTerm>
                    <FactTerm term={_("Enrolled keys")} field="enrolled">
                        {facts?.enrolledKeys ? (facts.enrolledKeys.map(k => k.subjectCn ?? k.subject ?? k.sha1Fingerprint ?? '?').join(', ') || _("None")) : '—'}
                    </FactTerm>
                    <FactTerm term={_("Waiting for enrolment")} field="pending">
                        {pendingKeys === null ? '—' : pendingKeys.length === 0 ? _("Nothing") : pendingKeys.map(k => k.subjectCn ?? k.sha1Fingerprint ?? '?').join(', ')}
                    </FactTerm>
                </DescriptionList>
            </CardBody>
            {enrolling && <EnrollDialog onClose={() => setEnrolling(false)} onDone={() => { setEnrolling(false); setQueued(true); pending.reload() }} />}
        </Card>
    );
}
