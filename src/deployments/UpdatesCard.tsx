// Updates: check (rpm-ostree upgrade --check / bootc upgrade --check), look at the
// package changes (--preview), stage. A check that fails is an error, never "up to
// date": only the tool's own no-update answer says that.
import {
    Alert, Button, Card, CardBody, CardHeader, CardTitle, Content, DescriptionList, Flex, FlexItem, Tooltip,
} from '@patternfly/react-core';
import { useEffect } from 'react';
import { HostError } from '../../pkg/lib/host-error';
import { _, format } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import type { ActionRunState } from '../app/use-action-run';
import type { DeploymentAction } from './actions';
import { parseBootcUpgradeCheck } from './bootc-upgrade-check-parser';
import type { DeploymentsStatus } from './deployment';
import { timeText } from './deployment-text';
import { PackageChangesList, summaryText } from './PackageChangesList';
import { parseRpmOstreeUpdateCheck, RPM_OSTREE_EXIT_UNCHANGED, type UpdateCheck } from './update-check-parser';
import type { DeploymentActions } from './use-deployment-actions';
import { FactTerm } from '../app/FactTerm';

export type CheckResult =
    | { kind: 'checked', check: UpdateCheck, preview: boolean, at: number }
    | { kind: 'failed', error: unknown, at: number };

/** The answer of a finished check or preview run. Pure, so the rule "failed is never up to date" is tested. */
export function checkResultOf(state: Exclude<ActionRunState, { kind: 'idle' | 'running' }>, tool: DeploymentsStatus['tool'], preview: boolean): CheckResult {
    const parse = tool === 'bootc' ? parseBootcUpgradeCheck : parseRpmOstreeUpdateCheck;
    const unchanged = state.kind === 'failed' && tool === 'rpm-ostree' && state.error instanceof HostError &&
        state.error.kind === 'exit' && state.error.exitStatus === RPM_OSTREE_EXIT_UNCHANGED;
    if (state.kind === 'failed' && !unchanged)
        return { kind: 'failed', error: state.error, at: state.endedAt };
    try {
        const check = parse(state.output);
        // exit 77 with an update in the output, or exit 0 saying none: the tool contradicts itself
        if (unchanged && check.kind !== 'none')
            return { kind: 'failed', error: state.kind === 'failed' ? state.error : null, at: state.endedAt };
        return { kind: 'checked', check, preview, at: state.endedAt };
    } catch (error) {
        return { kind: 'failed', error, at: state.endedAt };
    }
}


function advisoriesText(check: Extract<UpdateCheck, { kind: 'available' }>): string | null {
    const counts = check.advisories?.counts;
    if (!counts)
        return null;
    const parts = ([['critical', _("critical")], ['important', _("important")], ['moderate', _("moderate")], ['low', _("low")], ['unknown', _("unknown severity")]] as const)
            .filter(([key]) => counts[key] > 0)
            .map(([key, word]) => format(_("$0 $1"), counts[key], word));
    return parts.length > 0 ? parts.join(', ') : null;
}

export function UpdatesCard({ status, actions, reason, result, onResult: setResult }: {
    status: DeploymentsStatus;
    actions: DeploymentActions;
    reason: (action: DeploymentAction) => string | null;
    /** Kept by the page: the update guard reads the previewed package changes. */
    result: CheckResult | null;
    onResult: (result: CheckResult | null) => void;
}) {
    const run = actions.runner.state;
    const last = actions.lastAction;

    // the check's own run ended: read its answer once
    useEffect(() => {
        if ((run.kind === 'succeeded' || run.kind === 'failed') && (last?.kind === 'check' || last?.kind === 'preview'))
            setResult(checkResultOf(run, status.tool, last.kind === 'preview'));
        // a staged update answers the question until the next check
        if (run.kind === 'succeeded' && last?.kind === 'upgrade')
            setResult(null);
    }, [run, last, status.tool, setResult]);

    const checkReason = reason({ kind: 'check' });
    const upgradeReason = reason({ kind: 'upgrade' });
    const cached = status.cachedUpdate;
    const staged = status.deployments.find(d => d.staged) ?? null;
    const cachedIsStaged = !!cached && !!staged && (cached.checksum === staged.checksum || (cached.version !== null && cached.version === staged.version));
    const available = result?.kind === 'checked' && result.check.kind === 'available' ? result.check : null;
    const previewed = result?.kind === 'checked' && result.preview;
    const checking = run.kind === 'running' && (last?.kind === 'check' || last?.kind === 'preview');

    const checkButton = (
        <Button variant="secondary" id="check-updates" isAriaDisabled={checkReason !== null} isLoading={checking}
            onClick={() => actions.request({ kind: 'check' })}>
            {_("Check for updates")}
        </Button>
    );
    return (
        <Card isCompact id="updates-card" data-result={result?.kind === 'checked' ? result.check.kind : result?.kind ?? 'none'}>
            <CardHeader actions={{ actions: checkReason ? <Tooltip content={checkReason}>{checkButton}</Tooltip> : checkButton, hasNoOffset: true }}>
                <CardTitle component="h2">{_("Updates")}</CardTitle>
            </CardHeader>
            <CardBody>
                {result === null && !cached && !staged &&
                    <Content component="p" id="update-unknown">{_("Not checked yet on this page.")}</Content>}
                {result === null && cached && !cachedIsStaged &&
                    <Content component="p" id="update-cached">
                        {format(_("An earlier check (automatic updates or another admin) found $0."), cached.version ?? cached.checksum?.slice(0, 12) ?? cached.imageDigest ?? _("an update"))}
                    </Content>}
                {result === null && staged &&
                    <Content component="p" id="update-staged">
                        {format(_("$0 is staged and starts at the next boot."), staged.version ?? staged.checksum.slice(0, 12))}
                    </Content>}
                {result?.kind === 'failed' &&
                    <ErrorAlert title={_("The update check failed: whether an update exists is unknown")} error={result.error}
                        {...(checkReason === null ? { onRetry: () => actions.request({ kind: 'check' }) } : {})} />}
                {result?.kind === 'checked' && result.check.kind === 'none' &&
                    <Alert variant="success" isInline isPlain id="up-to-date" title={format(_("Up to date (checked $0)"), timeText(Math.round(result.at / 1000)))} />}
                {available &&
                    <>
                        <Alert variant="info" isInline isPlain id="update-available"
                            title={format(_("Update available: $0"), available.version ?? available.digest ?? available.commit?.slice(0, 12) ?? _("new packages"))} />
                        <DescriptionList isCompact isHorizontal columnModifier={{ lg: '2Col' }}>
                            {available.timestamp !== null && <FactTerm term={_("Built")} field="update-time">{timeText(available.timestamp)}</FactTerm>}
                            {available.commit && <FactTerm term={_("Commit")} field="update-commit"><code className="aiws-command">{available.commit}</code></FactTerm>}
                            {available.image && <FactTerm term={_("Image")} field="update-image">{available.image}</FactTerm>}
                            {available.gpgSignature.length > 0 && <FactTerm term={_("Signature")} field="update-signature">{available.gpgSignature[0]}</FactTerm>}
                            {advisoriesText(available) && <FactTerm term={_("Security advisories")} field="update-advisories">{advisoriesText(available)}</FactTerm>}
                            {available.diffSummary && !available.packages && <FactTerm term={_("Packages")} field="update-diff">{summaryText(available.diffSummary)}</FactTerm>}
                        </DescriptionList>
                        <Flex spaceItems={{ default: 'spaceItemsSm' }} className="aiws-actions-row">
                            <FlexItem>
                                <Button variant="primary" id="stage-update" isAriaDisabled={upgradeReason !== null}
                                    onClick={() => actions.request({ kind: 'upgrade' })}>{_("Stage update…")}</Button>
                            </FlexItem>
                            {status.tool === 'rpm-ostree' && !previewed &&
                                <FlexItem>
                                    <Button variant="secondary" id="preview-update" isAriaDisabled={checkReason !== null}
                                        onClick={() => actions.request({ kind: 'preview' })}>{_("Show package changes")}</Button>
                                </FlexItem>}
                        </Flex>
                        {available.packages && <PackageChangesList changes={available.packages} id="update-packages" />}
                    </>}
            </CardBody>
        </Card>
    );
}
