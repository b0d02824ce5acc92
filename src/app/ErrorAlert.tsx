import { Alert, AlertActionLink } from '@patternfly/react-core/dist/esm/components/Alert/index.js';
import { CodeBlock, CodeBlockCode } from '@patternfly/react-core/dist/esm/components/CodeBlock/index.js';
import { Content } from '@patternfly/react-core/dist/esm/components/Content/index.js';
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
