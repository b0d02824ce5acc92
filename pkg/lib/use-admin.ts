// Whether this session may change the host, following Cockpit's
// "Administrative access" switch as it is turned on and off.
import cockpit from 'cockpit';
import { useEffect, useState } from 'react';

/** true / false once known; null while Cockpit has not said yet. */
export type AdminAccess = boolean | null;

export function useAdmin(): AdminAccess {
    const [allowed, setAllowed] = useState<AdminAccess>(null);

    useEffect(() => {
        const permission = cockpit.permission({ admin: true });
        const update = () => setAllowed(permission.allowed);
        permission.addEventListener('changed', update);
        update();
        return () => {
            permission.removeEventListener('changed', update);
            permission.close();
        };
    }, []);

    return allowed;
}
