// The page's place inside Cockpit's URL, so every tab has a deep link and the
// browser's back button works (the shell keeps the history).
import cockpit from 'cockpit';
import { useEffect, useState } from 'react';

export interface PageLocation {
    path: string[];
    options: Record<string, string | string[]>;
}

function current(): PageLocation {
    return { path: [...cockpit.location.path], options: { ...cockpit.location.options } };
}

export function useLocation(): PageLocation {
    const [location, setLocation] = useState<PageLocation>(current);

    useEffect(() => {
        const update = () => setLocation(current());
        cockpit.addEventListener('locationchanged', update);
        update();
        return () => cockpit.removeEventListener('locationchanged', update);
    }, []);

    return location;
}

export function navigate(path: string[], options?: Record<string, string>): void {
    cockpit.location.go(path, options);
}
