// The bench bundle (test/bench/egress-render/build.ts) takes recorded fixtures as text (webpack asset/source).
declare module '*.txt' {
    const text: string;
    export default text;
}
