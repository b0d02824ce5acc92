// The output of a running (or just finished) host action, as it streams, with the time
// it has taken and the way to stop it.
import {
    Alert, AlertActionCloseButton, AlertActionLink, Button, Card, CardBody, CardHeader, CardTitle,
    CodeBlock, CodeBlockCode, Flex, FlexItem, Spinner,
} from '@patternfly/react-core';
import { useEffect, useRef, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { HostError } from '../../pkg/lib/host-error';
import { describeError } from './error-text';
import type { ActionRunState } from './use-action-run';

function elapsed(fromMs: number, toMs: number): string {
    const seconds = Math.max(0, Math.round((toMs - fromMs) / 1000));
    const minutes = Math.floor(seconds / 60);
    return minutes > 0
        ? format(_("$0 min $1 s"), minutes, seconds % 60)
        : format(_("$0 s"), seconds);
}

/** The tool's own last words when it failed (its error line), shown above the whole output. */
function failureLine(error: unknown): string | null {
    return error instanceof HostError && error.kind === 'exit' && error.message.trim() !== '' ? error.message.trim() : null;
}

function useNow(active: boolean): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        if (!active)
            return;
        const timer = setInterval(() => setNow(Date.now()), 1000);
        return () => clearInterval(timer);
    }, [active]);
    return now;
}

export function ProgressPanel({ state, onCancel, cancelLabel, onDismiss, id = 'progress-panel' }: {
    state: Exclude<ActionRunState, { kind: 'idle' }>;
    onCancel?: () => void;
    cancelLabel?: string;
    onDismiss: () => void;
    id?: string;
}) {
    const running = state.kind === 'running';
    const now = useNow(running);
    const outputRef = useRef<HTMLDivElement>(null);

    // follow the output like a terminal does
    useEffect(() => {
        const node = outputRef.current;
        if (node)
            node.scrollTop = node.scrollHeight;
    }, [state.output]);

    const took = elapsed(state.startedAt, state.kind === 'running' ? now : state.endedAt);
    const command = state.argv.join(' ');

    return (
        <Card id={id} data-state={state.kind} isCompact>
            <CardHeader>
                <Flex alignItems={{ default: 'alignItemsCenter' }}>
                    {running && <FlexItem><Spinner size="md" aria-label={_("Running")} /></FlexItem>}
                    <FlexItem><CardTitle component="h3">{state.label}</CardTitle></FlexItem>
                    <FlexItem className="aiws-muted">
                        {running ? format(_("running for $0"), took) : format(_("took $0"), took)}
                    </FlexItem>
                    {running && onCancel &&
                        <FlexItem align={{ default: 'alignRight' }}>
                            <Button variant="secondary" isDanger onClick={onCancel}>{cancelLabel ?? _("Cancel")}</Button>
                        </FlexItem>}
                </Flex>
            </CardHeader>
            <CardBody>
                {state.kind === 'succeeded' &&
                    <Alert variant="success" isInline isPlain title={format(_("$0 finished"), command)}
                        actionClose={<AlertActionCloseButton onClose={onDismiss} />} />}
                {state.kind === 'failed' &&
                    <Alert variant="danger" isInline title={describeError(state.error).summary}
                        actionLinks={<AlertActionLink onClick={onDismiss}>{_("Dismiss")}</AlertActionLink>}>
                        {failureLine(state.error) && <p><code className="aiws-command" data-field="failure">{failureLine(state.error)}</code></p>}
                        <p>{failureLine(state.error) ? _("The whole output is below.") : describeError(state.error).hint}</p>
                    </Alert>}
                <div ref={outputRef} className="aiws-progress-output" aria-live="polite" aria-label={format(_("Output of $0"), command)}>
                    <CodeBlock>
                        <CodeBlockCode>{state.output || (running ? _("Waiting for output…") : _("No output"))}</CodeBlockCode>
                    </CodeBlock>
                </div>
            </CardBody>
        </Card>
    );
}
