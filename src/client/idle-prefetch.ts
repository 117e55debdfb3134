/**
 * Docusaurus prefetches the chunks of every internal link as soon as the link is on screen: one <link rel=prefetch>
 * per chunk, all at once (about 240 of them on a chapter, 0.3 ms each on the 2-core machine, in the tasks right after
 * the page became interactive, where Lighthouse's 4x slower phone counts them as blocking time). Here the same
 * prefetches wait for idle time and run a few milliseconds' worth at a time, in the order the links appeared.
 * Hovering or touching a link still loads its page at once (Docusaurus' preload, unchanged).
 */
type Docusaurus = { prefetch: (routePath: string) => unknown; preload: (routePath: string) => unknown };

/** Work per idle callback: well under Lighthouse's 50 ms long task even 4 times slower. */
const SLICE_MS = 6;

function idlePrefetch(prefetch: Docusaurus['prefetch']): Docusaurus['prefetch'] {
  const queue: string[] = [];
  let scheduled = false;
  const later = (run: () => void): void => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: 5000 });
    else window.setTimeout(run, 50);
  };
  const drain = (): void => {
    scheduled = false;
    const until = performance.now() + SLICE_MS;
    while (queue.length > 0 && performance.now() < until) {
      const routePath = queue.shift();
      if (routePath !== undefined) prefetch(routePath);
    }
    if (queue.length > 0) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    later(drain);
  };
  return (routePath) => {
    if (!queue.includes(routePath)) queue.push(routePath);
    schedule();
    return true;
  };
}

// Client modules run before Docusaurus' entry assigns window.docusaurus (a frozen object): wrap it as it is assigned.
if (typeof window !== 'undefined') {
  let current: Docusaurus | undefined;
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: Docusaurus) => {
      current = Object.freeze({ ...value, prefetch: idlePrefetch(value.prefetch.bind(value)) });
    },
  });
}

export {};
