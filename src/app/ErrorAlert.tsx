import { Alert, AlertActionLink, CodeBlock, CodeBlockCode, Content } from '@patternfly/react-core';
import { _ } from '../../pkg/lib/gettext';
import { describeError } from './error-text';

export function ErrorAlert({ title, error, onRetry }: { title: string, error: unknown, onRetry?: () => void }) {
    const text = describeError(error);
    return (
        <Alert
            variant="danger"
            isInline
            title={title}
            actionLinks={onRetry ? <AlertActionLink onClick={onRetry}>{_("Try again")}</AlertActionLink> : undefined}
        >
            <Content component="p">{text.summary}</Content>
            {text.detail && text.detail !== text.summary &&
                <CodeBlock><CodeBlockCode>{text.detail}</CodeBlockCode></CodeBlock>}
            <Content component="p">{text.hint}</Content>
        </Alert>
    );
}
