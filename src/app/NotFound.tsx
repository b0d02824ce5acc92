import { Button, EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter } from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons';
import { _, format } from '../../pkg/lib/gettext';

export function NotFound({ path, onHome }: { path: string[], onHome: () => void }) {
    return (
        <EmptyState headingLevel="h2" titleText={_("This page does not exist")} icon={SearchIcon} id="not-found">
            <EmptyStateBody>
                {format(_("Nothing here answers to \"$0\". The link may come from a newer version of this package."), path.join('/'))}
            </EmptyStateBody>
            <EmptyStateFooter>
                <EmptyStateActions>
                    <Button variant="primary" onClick={onHome}>{_("Go to Overview")}</Button>
                </EmptyStateActions>
            </EmptyStateFooter>
        </EmptyState>
    );
}
