import { act, render, screen } from '@testing-library/react';
import { resetFake, setPermission } from '../../test/unit/fake-cockpit';
import { useAdmin } from './use-admin';

function Show() {
    const admin = useAdmin();
    return <span>{admin === null ? 'unknown' : admin ? 'admin' : 'limited'}</span>;
}

beforeEach(resetFake);

test('follows the administrative access switch', () => {
    setPermission(false);
    render(<Show />);
    expect(screen.getByText('limited')).toBeInTheDocument();
    act(() => setPermission(true));
    expect(screen.getByText('admin')).toBeInTheDocument();
    act(() => setPermission(null));
    expect(screen.getByText('unknown')).toBeInTheDocument();
});
