/** `import text from './file.js?raw'`: the file's text (src/plugins/kurento-bundling.ts, asset/source). */
declare module '*?raw' {
  const text: string;
  export default text;
}
