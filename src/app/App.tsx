// The app shell: tabs routed through cockpit.location, the read-only notice, and the
// capability probe every area reads.
import { Page, PageSection, Tab, TabTitleText, Tabs } from '@patternfly/react-core';
import { _ } from '../../pkg/lib/gettext';
import { useAdmin } from '../../pkg/lib/use-admin';
import { navigate, useLocation } from '../../pkg/lib/use-location';
import { HostCapabilitiesProvider } from '../system/host-capabilities-context';
import type { HostCapabilities } from '../system/capabilities';
import { AREAS } from './areas';
import { NotFound } from './NotFound';
import { ReadOnlyNotice } from './ReadOnlyNotice';
import { routeFor } from './routes';

const DEFAULT_AREA = 'overview';

export function App({ probe }: { probe?: () => Promise<HostCapabilities> }) {
    const admin = useAdmin();
    const location = useLocation();
    const route = routeFor(location.path, AREAS.map(area => area.id), DEFAULT_AREA);
    const activeArea = route.kind === 'area' ? AREAS.find(area => area.id === route.id) : undefined;

    return (
        <HostCapabilitiesProvider {...(probe ? { probe } : {})}>
            <Page>
                <PageSection type="tabs" aria-label={_("AI workstation")}>
                    <Tabs
                        activeKey={activeArea?.id ?? ''}
                        onSelect={(_event, key) => navigate([String(key)])}
                        aria-label={_("AI workstation areas")}
                        usePageInsets
                    >
                        {AREAS.map(area => (
                            <Tab
                                key={area.id}
                                eventKey={area.id}
                                title={<TabTitleText>{area.title()}</TabTitleText>}
                            />
                        ))}
                    </Tabs>
                </PageSection>
                {admin === false &&
                    <PageSection>
                        <ReadOnlyNotice />
                    </PageSection>}
                <PageSection isFilled>
                    {activeArea
                        ? activeArea.render({ admin })
                        : <NotFound path={route.kind === 'not-found' ? route.path : []} onHome={() => navigate([DEFAULT_AREA])} />}
                </PageSection>
            </Page>
        </HostCapabilitiesProvider>
    );
}
