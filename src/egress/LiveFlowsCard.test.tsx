// The new-flows card on conntrack events recorded in the egress world.
import { render, screen, within } from '@testing-library/react';
import { readFixture } from '../../test/unit/fixtures';
import { parseConntrackOutput } from './conntrack-parser';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { liveFlows } from './live-flows';
import { LiveFlowsCard } from './LiveFlowsCard';

const matcher = new EndpointMatcher(shippedEndpoints());
const NAMES: Record<string, string> = { '203.0.113.10': 'api.openai.com', '203.0.113.12': 'huggingface.co' };
const recorded = parseConntrackOutput(readFixture('conntrack/conntrack-E-e-NEW-o-timestamp-id-egress-world-1.4.7.txt'));
const flows = liveFlows(recorded, new Set(['198.51.100.2']), a => NAMES[a] ?? null, matcher);
const running = { kind: 'running', lastLineAt: null } as const;

test('each flow: where from (forwarded ones with their source), destination, flag; a summary above', () => {
    render(<LiveFlowsCard live={{ flows, stream: running, unreadLines: 0 }} tracking />);
    expect(screen.getByText(/^9 new flows/)).toHaveTextContent('9 new flows 3 forwarded 6 to flagged endpoints');
    const rows = document.querySelectorAll('#egress-flows tbody tr');
    expect(rows).toHaveLength(9);
    const forwarded = document.querySelector('tr[data-origin="forwarded"]') as HTMLElement;
    expect(within(forwarded).getAllByRole('cell').slice(1).map(c => c.textContent)).toEqual([
        'Forwarded 10.213.9.2', 'huggingface.co TCP 203.0.113.12:443 Internet', 'Model hub: Hugging Face',
    ]);
    const own = document.querySelector('tr[data-destination="203.0.113.20"]') as HTMLElement;
    expect(within(own).getAllByRole('cell').slice(1).map(c => c.textContent)).toEqual(['This machine', 'TCP 203.0.113.20:443 Internet', '\u2014']);
});

test('with no flows it says why there may be none', () => {
    const { unmount } = render(<LiveFlowsCard live={{ flows: [], stream: running, unreadLines: 0 }} tracking={false} />);
    expect(screen.getByText(/only while a firewall rule tracks connections/)).toBeInTheDocument();
    unmount();
    render(<LiveFlowsCard live={{ flows: [], stream: running, unreadLines: 2 }} tracking />);
    expect(screen.getByText('New flows show up here as they start.')).toBeInTheDocument();
});
