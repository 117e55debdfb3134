import React, { isValidElement, memo, type ReactNode } from 'react';
import type { Props } from '@theme/CodeBlock';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';

/** Plain-text children become one string (so the block can be highlighted and copied); elements are kept as they are. */
function asText(children: ReactNode): ReactNode {
  const parts = React.Children.toArray(children);
  if (parts.some((part) => isValidElement(part))) return children;
  return Array.isArray(children) ? children.join('') : children;
}

/**
 * Code blocks, rendered once. The theme's own CodeBlock keys its content on "are we in the browser yet" so that a
 * reader in dark mode does not keep the light colours the server rendered; ours are CSS variables
 * (src/theme/code-theme.ts), the same in both modes, so the server's HTML is kept as it is on hydration.
 */
function CodeBlock({ children, ...props }: Props): ReactNode {
  const content = asText(children);
  return typeof content === 'string' ? <StringContent {...props}>{content}</StringContent> : <ElementContent {...props}>{content}</ElementContent>;
}

/**
 * A block's props are strings (its code, language, title): when the chapter around it renders again (a context of the
 * page changing after hydration), the block with the same props is not rendered again.
 */
export default memo(CodeBlock);
