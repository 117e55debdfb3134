/**
 * Excerpts of real files for the chapters: the lines between `// #region <name>` and `// #endregion <name>`.
 *
 * A region may come in several parts (the same name opened and closed again further down): the parts are shown in
 * order, with a `// …` line where code was left out, indented like the code around it. The excerpt is dedented as a
 * whole, so a method keeps its place inside its class; every region marker (of any name) is left out. A blank line
 * right after a part's `#endregion` (or right before the next part's `#region`) in the file becomes a blank line before
 * (after) the `// …`, so the excerpt keeps the file's spacing. Markers are plain comments: editors such as VS Code fold
 * them, and the compiled code is the same with or without them.
 */

const MARKER = /^\s*\/\/ #(region|endregion) (\S+)\s*$/;

interface Part {
  lines: string[];
  blankBefore: boolean; // the file has a blank line right before this part's #region marker
  blankAfter: boolean; // the file has a blank line right after this part's #endregion marker
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlank(line: string | undefined): boolean {
  return line !== undefined && line.trim() === '';
}

/** The names of the regions the text marks, in the order they first appear. */
export function regionNames(source: string): string[] {
  const names: string[] = [];
  for (const line of source.split('\n')) {
    const match = MARKER.exec(line);
    if (match?.[1] === 'region' && match[2] && !names.includes(match[2])) names.push(match[2]);
  }
  return names;
}

/** The excerpt of `source` that the region `name` marks; throws when the region is missing or not closed. */
export function extractRegion(source: string, name: string): string {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const parts: Part[] = [];
  let open: Part | undefined;
  lines.forEach((line, index) => {
    const match = MARKER.exec(line);
    if (match && match[2] === name) {
      if (match[1] === 'region') {
        if (open) throw new Error(`region "${name}" opened twice (line ${index + 1})`);
        open = { lines: [], blankBefore: isBlank(lines[index - 1]), blankAfter: false };
      } else {
        if (!open) throw new Error(`#endregion ${name} without #region (line ${index + 1})`);
        open.blankAfter = isBlank(lines[index + 1]);
        parts.push(open);
        open = undefined;
      }
    } else if (open && !match) {
      open.lines.push(line);
    }
  });
  if (open) throw new Error(`region "${name}" is not closed`);
  if (parts.length === 0) throw new Error(`no region "${name}"`);

  for (const part of parts) {
    while (isBlank(part.lines[0])) part.lines.shift();
    while (isBlank(part.lines[part.lines.length - 1])) part.lines.pop();
  }
  const code = parts.flatMap((part) => part.lines).filter((line) => !isBlank(line));
  const margin = code.length === 0 ? 0 : Math.min(...code.map(indentOf));
  const dedent = (line: string): string => (isBlank(line) ? '' : line.slice(margin));

  const out: string[] = [];
  parts.forEach((part, index) => {
    const previous = parts[index - 1];
    if (previous) {
      const before = previous.lines[previous.lines.length - 1] ?? '';
      const after = part.lines[0] ?? '';
      const indent = Math.max(indentOf(before), indentOf(after)) - margin;
      if (previous.blankAfter) out.push('');
      out.push(`${' '.repeat(Math.max(indent, 0))}// …`);
      if (part.blankBefore) out.push('');
    }
    out.push(...part.lines.map(dedent));
  });
  return out.join('\n');
}
