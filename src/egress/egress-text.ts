// Words for the egress model, shared by the tab and the Overview card.
import { _ } from '../../pkg/lib/gettext';
import type { EgressMode } from './egress-ruleset';
import type { EndpointCategory } from './endpoints';
import type { PeerClass } from './connections';

export function categoryText(category: EndpointCategory): string {
    switch (category) {
    case 'cloud-ai': return _("Cloud AI");
    case 'model-hub': return _("Model hub");
    case 'telemetry': return _("Telemetry");
    }
}

export function peerClassText(peerClass: PeerClass): string {
    return peerClass === 'internet' ? _("Internet") : _("Local network");
}

export function modeText(mode: EgressMode | 'unknown'): string {
    switch (mode) {
    case 'off': return _("Off");
    case 'audit': return _("Audit");
    case 'enforce': return _("Default deny");
    case 'unknown': return _("Changed outside this page");
    }
}

/** The mode's label colour, the same on the tab and the Overview. */
export function modeColor(mode: EgressMode | 'unknown'): 'green' | 'blue' | 'grey' {
    return mode === 'enforce' ? 'green' : mode === 'audit' ? 'blue' : 'grey';
}

/** "[2001:db8::1]:443" or "192.0.2.1:443". */
export function endpointText(address: string, port: number | '*'): string {
    return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
