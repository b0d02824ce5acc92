// Shell scripts shipped with the page are bundled as text (webpack asset/source).
declare module '*.sh' {
    const text: string;
    export default text;
}

declare module '*.css';
