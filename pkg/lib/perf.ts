// User-timing marks for `make bench`: how long the page takes from data arriving to its
// render being committed. The browser keeps them; nothing is sent anywhere.

/** Mark the arrival of data, unless an earlier arrival is still waiting for its render. */
export function markArrival(name: string): void {
    if (typeof performance === 'undefined' || typeof performance.mark !== 'function')
        return;
    if (performance.getEntriesByName(name, 'mark').length === 0)
        performance.mark(name);
}

/** Measure from the waiting arrival mark to now (call after the render committed), then clear it. */
export function measureSinceArrival(name: string, measure: string): void {
    if (typeof performance === 'undefined' || typeof performance.measure !== 'function')
        return;
    if (performance.getEntriesByName(name, 'mark').length === 0)
        return;
    performance.measure(measure, name);
    performance.clearMarks(name);
    // keep the buffer bounded on a page left open for days
    if (performance.getEntriesByName(measure, 'measure').length > 1000)
        performance.clearMeasures(measure);
}
