import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApplyRequest, ApplyResult } from './egress-client';
import { EgressControlCard } from './EgressControlCard';
import { offTableState, type EgressTableState } from './egress-ruleset';

// only the host side of the card is scripted: the allowlist checks and the suggestions are the real ones
let mockApply: jest.Mock<Promise<ApplyResult>, [ApplyRequest]>;
jest.mock('./egress-client', () => ({
    ...jest.requireActual('./egress-client'),
    applyEgress: (request: ApplyRequest) => mockApply(request),
}));

const OFF_STATE = offTableState();
const auditing: EgressTableState = { ...OFF_STATE, loaded: true, mode: 'audit', counters: { ...OFF_STATE.counters, allowed: { packets: 7, bytes: 420 } } };

function renderCard(table: EgressTableState, allowlistText = '') {
    const onChanged = jest.fn();
    render(<EgressControlCard control={{ table, settings: { allowlistText, resolvers: ['203.0.113.53'] } }} connections={[]} onChanged={onChanged} />);
    return onChanged;
}

beforeEach(() => {
    mockApply = jest.fn((_request: ApplyRequest) => Promise.resolve<ApplyResult>({ ruleset: '', unresolvedNames: [], bootWarning: null }));
});

test('shows the mode and the counter of logged connections', () => {
    renderCard(auditing);
    expect(document.querySelector('[data-field="egress-mode"]')?.textContent).toBe('Audit');
    expect(document.querySelector('[data-field="egress-allowed"]')?.textContent).toBe('7');
    expect(screen.getByRole('radio', { name: /^Audit/ })).toBeChecked();
});

test('an allowlist line that is neither address, network nor name keeps Apply disabled and says why', async () => {
    renderCard(auditing);
    await userEvent.click(screen.getByRole('radio', { name: /^Default deny/ }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Allowlist' }), 'allowed.example.net\n10.0.0.0/33\n');
    expect(document.querySelector('[data-line="2"]')?.textContent).toMatch(/^Line 2 \(10\.0\.0\.0\/33\): /);
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(mockApply).not.toHaveBeenCalled();
});

test('default deny asks first, then applies the checked entries in one request', async () => {
    const onChanged = renderCard(auditing);
    await userEvent.click(screen.getByRole('radio', { name: /^Default deny/ }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Allowlist' }), 'Allowed.Example.NET\n198.51.100.0/24\n');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(mockApply).not.toHaveBeenCalled();
    expect(screen.getByText('Refuse new connections to the internet?')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Turn on default deny' }));
    await waitFor(() => expect(mockApply).toHaveBeenCalledTimes(1));
    expect(mockApply.mock.calls[0][0]).toEqual({
        mode: 'enforce',
        allowlist: [
            { kind: 'name', value: 'allowed.example.net', family: null },
            { kind: 'network', value: '198.51.100.0/24', family: 'ipv4' },
        ],
        blockedContainers: [],
        allowLocalNetworks: true,
    });
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
});

test('Turn off applies off at once and keeps blocked containers', async () => {
    renderCard({ ...auditing, sets: { ...auditing.sets, blockedContainers: ['10.88.0.7'] } });
    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(mockApply).toHaveBeenCalledTimes(1));
    expect(mockApply.mock.calls[0][0]).toMatchObject({ mode: 'off', blockedContainers: ['10.88.0.7'] });
});

test('a host name is refused as a container to block; an address is added', async () => {
    renderCard(OFF_STATE);
    const input = screen.getByRole('textbox', { name: 'Container address or network' });
    await userEvent.type(input, 'api.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(screen.getByText("Give the container's address or its network, not a host name.")).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, '10.88.0.9{Enter}');
    expect(document.querySelector('#egress-blocked')?.textContent).toContain('10.88.0.9');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(mockApply).toHaveBeenCalledTimes(1));
    expect(mockApply.mock.calls[0][0]).toMatchObject({ mode: 'off', blockedContainers: ['10.88.0.9'] });
});

test('nft refusing the ruleset shows why and changes nothing else', async () => {
    mockApply = jest.fn((_request: ApplyRequest) => Promise.reject<ApplyResult>(new Error('Error: Could not process rule: No such file or directory')));
    const onChanged = renderCard(OFF_STATE);
    await userEvent.click(screen.getByRole('radio', { name: /^Audit/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('The rules were not changed')).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();
});
