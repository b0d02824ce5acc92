// cockpit.js 287's promises are its own deferreds: an exception thrown inside a then()
// handler is not caught, it escapes to the page as an uncaught error (the shell shows
// "Ooops!") and the derived promise never settles. So pkg/lib never chains handlers
// on them: it adopts them into a native Promise first, whose handlers may throw.

export function native<T>(cockpitPromise: PromiseLike<T>): Promise<T> {
    // resolve and reject of a native Promise never throw
    return new Promise<T>((resolve, reject) => { cockpitPromise.then(resolve, reject) });
}
