// Kernel arguments of the booted deployment: remove, add (checked as typed), the NVIDIA
// presets, and the difference before anything runs. Applying stages a new deployment
// with the new arguments; the reboot is its own step.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Content, Flex, FlexItem, FormGroup, FormHelperText,
    HelperText, HelperTextItem, Label, LabelGroup, List, ListItem, Skeleton, TextInput, Tooltip,
} from '@patternfly/react-core';
import { useMemo, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { useAsync } from '../../pkg/lib/use-async';
import { ErrorAlert } from '../app/ErrorAlert';
import type { ConfirmedRun } from '../app/use-confirmed-run';
import type { DeploymentsTool } from '../deployments/actions';
import { NVIDIA_PRESETS, kargsArgv, managedKarg, planKargs, planWarnings, validateKarg, type KargsPlan } from './kargs-edit';
import { splitHostKarg } from './kargs-edit-validate';
import { readKargs } from './kernel-client';

function Diff({ plan }: { plan: KargsPlan }) {
    return (
        <List isPlain id="kargs-diff">
            {plan.append.map(a => <ListItem key={`+${a}`} data-change="append"><code className="aiws-command">+ {a}</code></ListItem>)}
            {plan.delete.map(a => <ListItem key={`-${a}`} data-change="delete"><code className="aiws-command">− {a}</code></ListItem>)}
            {plan.replace.map(r => (
                <ListItem key={`~${r.key}`} data-change="replace"><code className="aiws-command">{format(_("$0: $1 → $2"), r.key, r.from, r.to)}</code></ListItem>
            ))}
        </List>
    );
}

export function KargsCard({ tool, run, reason }: { tool: DeploymentsTool, run: ConfirmedRun, reason: string | null }) {
    const { state, reload } = useAsync(readKargs, []);
    const current = state.status === 'ready' ? state.data : null;
    const [desired, setDesired] = useState<string[] | null>(null);
    const [typed, setTyped] = useState('');
    const args = desired ?? current ?? [];
    const check = typed.trim() === '' ? null : validateKarg(typed.trim());
    const plan = useMemo(() => (current && desired ? planKargs(current, desired) : null), [current, desired]);
    const warnings = plan?.ok ? planWarnings(plan.plan) : [];
    const changed = plan?.ok && (plan.plan.append.length + plan.plan.delete.length + plan.plan.replace.length) > 0;

    const add = (karg: string) => {
        setDesired([...args, karg]);
        setTyped('');
    };
    const remove = (index: number) => setDesired(args.filter((_a, i) => i !== index));
    const apply = () => {
        if (!plan?.ok)
            return;
        run.request({
            steps: [{ label: _("Changing kernel arguments"), argv: kargsArgv(plan.plan) }],
            confirm: {
                variant: warnings.length > 0 ? 'danger' : 'warning',
                takesEffect: 'next-boot',
                steps: [{
                    title: _("Change the kernel arguments?"),
                    body: [
                        _("A new deployment with these arguments is staged; the running system keeps its arguments until the reboot, which you start separately."),
                        ...plan.plan.append.map(a => format(_("Added: $0"), a)),
                        ...plan.plan.delete.map(a => format(_("Removed: $0"), a)),
                        ...plan.plan.replace.map(r => format(_("Changed: $0 from $1 to $2"), r.key, r.from, r.to)),
                        ...warnings.map(w => format(_("Warning about $0: $1"), w.arg, w.reason)),
                    ],
                    confirmLabel: _("Stage the new arguments"),
                }],
            },
            onDone: ok => {
                if (ok) {
                    setDesired(null);
                    reload();
                }
            },
        });
    };

    return (
        <Card isCompact id="kargs-card">
            <CardHeader><CardTitle component="h2">{_("Kernel arguments")}</CardTitle></CardHeader>
            <CardBody>
                {tool === 'bootc' &&
                    <Content component="p" className="aiws-muted">{_("On bootc hosts kernel arguments come with the image (files in /usr/lib/bootc/kargs.d); rpm-ostree kargs edits them where rpm-ostree is installed.")}</Content>}
                {state.status === 'loading' && <Skeleton height="3rem" screenreaderText={_("Reading the kernel arguments")} />}
                {state.status === 'error' && <ErrorAlert title={_("The kernel arguments could not be read")} error={state.error} onRetry={reload} />}
                {current &&
                    <>
                        <div id="kargs-current-list">
                        <LabelGroup numLabels={40} categoryName={_("Booted deployment")}>
                            {args.map((arg, i) => (
                                // ostree= and BOOT_IMAGE= belong to the boot entry: shown, never removable
                                <Label key={`${arg}-${i}`} data-karg={arg} onClose={reason === null && managedKarg(splitHostKarg(arg).key) === null ? () => remove(i) : undefined}
                                    closeBtnAriaLabel={format(_("Remove $0"), arg)}>{arg}</Label>
                            ))}
                        </LabelGroup>
                        </div>
                        <Flex spaceItems={{ default: 'spaceItemsSm' }} className="aiws-actions-row" alignItems={{ default: 'alignItemsFlexStart' }}>
                            <FlexItem grow={{ default: 'grow' }}>
                                <FormGroup fieldId="karg-new" label={_("Add an argument")}>
                                    <TextInput id="karg-new" value={typed} onChange={(_e, v) => setTyped(v)} isDisabled={reason !== null}
                                        validated={check && !check.ok ? 'error' : 'default'}
                                        onKeyDown={event => { if (event.key === 'Enter' && check?.ok) add(check.karg.text) }} />
                                    <FormHelperText>
                                        <HelperText>
                                            {check && !check.ok
                                                ? <HelperTextItem variant="error" id="karg-new-error">{check.reason}</HelperTextItem>
                                                : <HelperTextItem>{_("key or key=value; a value with spaces goes in double quotes: key=\"a b\"")}</HelperTextItem>}
                                        </HelperText>
                                    </FormHelperText>
                                </FormGroup>
                            </FlexItem>
                            <FlexItem className="aiws-form-button">
                                <Button variant="secondary" id="karg-add" isDisabled={!check?.ok} onClick={() => check?.ok && add(check.karg.text)}>{_("Add")}</Button>
                            </FlexItem>
                        </Flex>
                        <Flex spaceItems={{ default: 'spaceItemsSm' }} className="aiws-actions-row">
                            {NVIDIA_PRESETS.map(preset => {
                                const present = args.includes(preset.karg);
                                return (
                                    <FlexItem key={preset.id}>
                                        <Tooltip content={preset.purpose}>
                                            <Button variant="tertiary" size="sm" data-preset={preset.id} isAriaDisabled={present || reason !== null}
                                                onClick={() => add(preset.karg)}>
                                                {format(_("Add $0"), preset.karg)}
                                            </Button>
                                        </Tooltip>
                                    </FlexItem>
                                );
                            })}
                        </Flex>
                        {plan && !plan.ok && <Alert variant="danger" isInline isPlain id="kargs-plan-error" title={plan.reason} />}
                        {changed && plan?.ok &&
                            <>
                                <Content component="h3">{_("Changes")}</Content>
                                <Diff plan={plan.plan} />
                                {warnings.map(w => <Alert key={w.arg} variant="warning" isInline isPlain title={format(_("$0: $1"), w.arg, w.reason)} />)}
                                <Flex spaceItems={{ default: 'spaceItemsSm' }} className="aiws-actions-row">
                                    <FlexItem><Button variant="primary" id="kargs-apply" isAriaDisabled={reason !== null} onClick={apply}>{_("Apply…")}</Button></FlexItem>
                                    <FlexItem><Button variant="link" onClick={() => setDesired(null)}>{_("Undo changes")}</Button></FlexItem>
                                </Flex>
                            </>}
                        {reason !== null && <Content component="p" className="aiws-muted">{reason}</Content>}
                    </>}
            </CardBody>
        </Card>
    );
}
