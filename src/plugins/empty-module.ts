/** Stands in for a module a build leaves out (src/plugins/code-highlighting.ts). */
export {};
