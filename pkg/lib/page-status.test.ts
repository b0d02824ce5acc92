import { pageStatus, resetFake } from '../../test/unit/fake-cockpit';
import { setPageStatus } from './page-status';

beforeEach(resetFake);

test('a problem is shown, ok clears it', () => {
    setPageStatus('error', 'NVIDIA driver: version mismatch');
    expect(pageStatus.current).toEqual({ type: 'error', title: 'NVIDIA driver: version mismatch' });
    setPageStatus('ok', 'fine');
    expect(pageStatus.current).toBeNull();
});
