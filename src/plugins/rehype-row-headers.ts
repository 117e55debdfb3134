interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

const textOf = (node: HastNode): string => (node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(textOf).join(''));
const elements = (node: HastNode | undefined, tagName: string): HastNode[] => (node?.children ?? []).filter((child) => child.type === 'element' && child.tagName === tagName);

/**
 * A Markdown table whose first header cell is empty (`| | A | B |`) compares things row by row: its first column
 * names each row. Screen readers (and axe's td-has-header rule) need that said in the markup, so the first cell of each
 * body row becomes a row header (`<th scope="row">`), the empty corner an ordinary cell, and a header row with no text
 * at all (a key/value table) is dropped.
 */
export function addRowHeaders(table: HastNode): void {
  const head = elements(table, 'thead')[0];
  const headRow = elements(head, 'tr')[0];
  const corner = elements(headRow, 'th')[0];
  if (!head || !headRow || !corner || textOf(corner).trim() !== '') return;
  for (const body of elements(table, 'tbody')) {
    for (const row of elements(body, 'tr')) {
      const first = elements(row, 'td')[0];
      if (first && row.children?.find((child) => child.type === 'element') === first) {
        first.tagName = 'th';
        first.properties = { ...first.properties, scope: 'row' };
      }
    }
  }
  if (elements(headRow, 'th').every((cell) => textOf(cell).trim() === '')) {
    table.children = (table.children ?? []).filter((child) => child !== head);
  } else {
    corner.tagName = 'td';
  }
}

export default function rehypeRowHeaders(): (tree: HastNode) => void {
  return (tree) => {
    const walk = (node: HastNode): void => {
      if (node.type === 'element' && node.tagName === 'table') addRowHeaders(node);
      for (const child of node.children ?? []) walk(child);
    };
    walk(tree);
  };
}
