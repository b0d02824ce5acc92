// The page's areas, one tab each. Only areas that exist are listed; each later
// area adds itself here.
import type React from 'react';
import { _ } from '../../pkg/lib/gettext';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import { DeploymentsPage } from '../deployments/DeploymentsPage';
import { EgressPage } from '../egress/EgressPage';
import { GpusPage } from '../gpus/GpusPage';
import { KernelPage } from '../kernel/KernelPage';
import { ModelsPage } from '../models/ModelsPage';
import { OverviewPage } from '../overview/OverviewPage';

export interface Area {
    /** The first element of the page's path: /ai-workstation/<id>. */
    id: string;
    title: () => string;
    render: (props: { admin: AdminAccess }) => React.ReactNode;
}

export const AREAS: readonly Area[] = [
    { id: 'overview', title: () => _("Overview"), render: ({ admin }) => <OverviewPage admin={admin} /> },
    { id: 'deployments', title: () => _("Deployments"), render: () => <DeploymentsPage /> },
    { id: 'kernel', title: () => _("Kernel & driver"), render: () => <KernelPage /> },
    { id: 'gpus', title: () => _("GPUs"), render: () => <GpusPage /> },
    { id: 'models', title: () => _("Models"), render: () => <ModelsPage /> },
    { id: 'egress', title: () => _("Network egress"), render: () => <EgressPage /> },
];
