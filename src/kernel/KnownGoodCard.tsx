// Known-good: the boot-time recorder (so a good boot is remembered even when nobody
// opens the page), how many known-good deployments stay pinned, and what was recorded.
import { Alert, Card, CardBody, CardHeader, CardTitle, Content, Flex, FlexItem, FormGroup, NumberInput, Switch } from '@patternfly/react-core';
import { useState } from 'react';
import { _, format, ngettext } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import { MAX_KEEP_PINNED } from './auto-pins';
import type { KernelRecords } from './kernel-client';
import { installRecorder, uninstallRecorder, writeSettings } from './kernel-client';
import { TIMER_NAME } from './known-good-units';

export function KnownGoodCard({ records, reason, onChanged }: {
    records: KernelRecords;
    /** Why settings cannot change now (no admin access), or null. */
    reason: string | null;
    onChanged: () => void;
}) {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const keep = records.settings.value.keepKnownGoodPinned;
    const act = async (what: () => Promise<void>) => {
        setBusy(true);
        setError(null);
        try {
            await what();
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
            onChanged();
        }
    };
    return (
        <Card isCompact id="known-good-card">
            <CardHeader><CardTitle component="h2">{_("Known-good deployments")}</CardTitle></CardHeader>
            <CardBody>
                <Content component="p">
                    {format(ngettext("$0 deployment is recorded as known-good.", "$0 deployments are recorded as known-good.", records.knownGood.records.length), records.knownGood.records.length)}
                </Content>
                {records.knownGood.ignoredLines > 0 &&
                    <Alert variant="warning" isInline isPlain id="known-good-ignored"
                        title={format(ngettext("$0 line of the record file could not be read and is ignored", "$0 lines of the record file could not be read and are ignored", records.knownGood.ignoredLines), records.knownGood.ignoredLines)} />}
                {(records.settings.notice || records.autoPins.notice) &&
                    <Alert variant="warning" isInline isPlain id="settings-notice" title={_("A settings file could not be read; the defaults apply until it is saved again.")} />}
                <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsMd' }}>
                    <FlexItem>
                        <Switch id="recorder-switch" isChecked={records.recorderInstalled} isDisabled={reason !== null || busy}
                            label={format(_("Record at every boot ($0)"), TIMER_NAME)}
                            onChange={(_e, on) => { void act(on ? installRecorder : uninstallRecorder) }} />
                        <Content component="small" className="aiws-muted">
                            {_("Two minutes after each boot a small script records the booted deployment when nvidia-smi sees the GPUs. Without it the page records what it sees when it is open.")}
                        </Content>
                    </FlexItem>
                    <FlexItem>
                        <FormGroup label={_("Keep the newest known-good deployments pinned")} fieldId="keep-pinned">
                            <NumberInput id="keep-pinned" value={keep} min={0} max={MAX_KEEP_PINNED} isDisabled={reason !== null || busy}
                                inputAriaLabel={_("Number of known-good deployments kept pinned")}
                                onMinus={() => { void act(() => writeSettings({ keepKnownGoodPinned: Math.max(0, keep - 1) })) }}
                                onPlus={() => { void act(() => writeSettings({ keepKnownGoodPinned: Math.min(MAX_KEEP_PINNED, keep + 1) })) }}
                                onChange={event => {
                                    const value = Number((event.target as HTMLInputElement).value);
                                    if (Number.isInteger(value) && value >= 0 && value <= MAX_KEEP_PINNED)
                                        void act(() => writeSettings({ keepKnownGoodPinned: value }));
                                }} />
                            <Content component="small" className="aiws-muted">
                                {keep === 0
                                    ? _("Off: pin known-good deployments yourself.")
                                    : _("The page pins them and unpins its own older pins; pins you made yourself are never removed.")}
                            </Content>
                        </FormGroup>
                    </FlexItem>
                </Flex>
                {reason !== null && <Content component="p" className="aiws-muted">{reason}</Content>}
                {error !== null && <ErrorAlert title={_("The change could not be saved")} error={error} />}
            </CardBody>
        </Card>
    );
}
