/**
 * A line of code changed after hydration (KmsCode shows the learner's KMS URL where the server rendered the default
 * one): the new text for the line's text nodes, given their current contents. The part that differs between the old
 * and new line (what is left after their common start and end) is replaced inside the nodes: a change within one
 * token (a URL in a string) stays in that token, so it keeps its colour. Returns null when the nodes do not spell
 * the old line (the caller then renders the block afresh).
 */
export function spliceLine(texts: readonly string[], oldLine: string, newLine: string): string[] | null {
  if (texts.join('') !== oldLine) return null;
  if (oldLine === newLine) return [...texts];
  let start = 0;
  const shortest = Math.min(oldLine.length, newLine.length);
  while (start < shortest && oldLine[start] === newLine[start]) start += 1;
  let end = 0;
  while (end < shortest - start && oldLine[oldLine.length - 1 - end] === newLine[newLine.length - 1 - end]) end += 1;
  const removeTo = oldLine.length - end; // [start, removeTo) of the old line goes
  const insert = newLine.slice(start, newLine.length - end);
  const out: string[] = [];
  let offset = 0;
  let inserted = false;
  texts.forEach((text, index) => {
    const from = offset;
    const to = offset + text.length;
    offset = to;
    // The node where the change starts (for an insertion at a node boundary, the node it ends; at the very end, the
    // last node) receives the inserted text.
    const holdsStart = !inserted && (start < to || (start === to && (index === texts.length - 1 || removeTo === start)));
    if (!holdsStart && (to <= start || from >= removeTo)) {
      out.push(text);
      return;
    }
    const keepBefore = text.slice(0, Math.max(0, start - from));
    const keepAfter = text.slice(Math.max(0, Math.min(text.length, removeTo - from)));
    if (holdsStart) {
      inserted = true;
      out.push(keepBefore + insert + keepAfter);
    } else {
      out.push(keepBefore + keepAfter);
    }
  });
  if (!inserted) return null;
  return out;
}

/**
 * Applies a change of the code to the lines a server rendered (`code` > one element per line, the tokens inside).
 * Returns false when the DOM cannot take it in place (another number of lines, text that does not match).
 */
export function patchCodeElement(code: HTMLElement, oldCode: string, newCode: string): boolean {
  const oldLines = oldCode.split('\n');
  const newLines = newCode.split('\n');
  const lineElements = [...code.children];
  if (oldLines.length !== newLines.length || lineElements.length !== oldLines.length) return false;
  const edits: Array<{ nodes: Text[]; texts: string[] }> = [];
  for (let index = 0; index < oldLines.length; index += 1) {
    const oldLine = oldLines[index] ?? '';
    const newLine = newLines[index] ?? '';
    const element = lineElements[index];
    if (oldLine === newLine || !element) continue;
    const nodes: Text[] = [];
    const walker = code.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    const texts = spliceLine(
      nodes.map((node) => node.data),
      oldLine,
      newLine,
    );
    if (!texts) return false;
    edits.push({ nodes, texts });
  }
  // Only once every line is known to fit.
  for (const { nodes, texts } of edits) {
    nodes.forEach((node, index) => {
      const text = texts[index] ?? '';
      if (node.data !== text) node.data = text;
    });
  }
  return true;
}
