// Which area a Cockpit location path shows.

export type Route =
    | { kind: 'area', id: string }
    | { kind: 'not-found', path: string[] };

export function routeFor(path: readonly string[], areaIds: readonly string[], defaultArea: string): Route {
    if (path.length === 0 || (path.length === 1 && path[0] === ''))
        return { kind: 'area', id: defaultArea };
    if (areaIds.includes(path[0]))
        return { kind: 'area', id: path[0] };
    return { kind: 'not-found', path: [...path] };
}
