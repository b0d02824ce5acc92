import { Alert } from '@patternfly/react-core';
import { _ } from '../../pkg/lib/gettext';

/** Shown while the session has no administrative access (DESIGN decision 4). */
export function ReadOnlyNotice() {
    return (
        <Alert variant="info" isInline title={_("Read-only: administrative access is off")} id="read-only-notice">
            {_("This page shows everything the host lets this session read, but cannot change anything. To update, roll back, pin or block, turn on administrative access with the \"Limited access\" button in Cockpit's top bar.")}
        </Alert>
    );
}
