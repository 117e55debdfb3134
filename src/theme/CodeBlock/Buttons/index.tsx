import { startTransition, useEffect, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import { translate } from '@docusaurus/Translate';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import type { Props } from '@theme/CodeBlock/Buttons';
import Button from '@theme/CodeBlock/Buttons/Button';
import CopyButton from '@theme/CodeBlock/Buttons/CopyButton';
import IconWordWrap from '@theme/Icon/WordWrap';
import themeStyles from '@docusaurus/theme-classic/lib/theme/CodeBlock/Buttons/styles.module.css';
import wrapStyles from '@docusaurus/theme-classic/lib/theme/CodeBlock/Buttons/WordWrapButton/styles.module.css';
import styles from './styles.module.css';

/**
 * A code block's buttons (word wrap, copy), as the theme draws them, mounted differently:
 * - As the theme does, they exist only in the browser; but they mount in a transition after hydration (React renders
 *   them in slices), not in the render that follows hydration at once, where 19 button groups on the first-app
 *   chapter were most of one long task.
 * - The word-wrap button is always there and CSS shows it only when the block is wider than its box (the `pre` carries
 *   data-kl-scrollable, set by ./../Content/String.tsx when the browser reports the block's size) or wrapped, so no
 *   block renders again when its width is known or changes.
 */
function WordWrapButton(): ReactNode {
  const { wordWrap } = useCodeBlockContext();
  const title = translate({
    id: 'theme.CodeBlock.wordWrapToggle',
    message: 'Toggle word wrap',
    description: 'The title attribute for toggle word wrapping button of code block lines',
  });
  return (
    <Button
      onClick={() => wordWrap.toggle()}
      className={clsx(styles.wordWrapButton, wordWrap.isEnabled && [wrapStyles.wordWrapButtonEnabled, styles.wordWrapButtonEnabled])}
      aria-label={title}
      title={title}
    >
      <IconWordWrap className={wrapStyles.wordWrapButtonIcon} aria-hidden="true" />
    </Button>
  );
}

export default function CodeBlockButtons({ className }: Props): ReactNode {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    startTransition(() => setMounted(true));
  }, []);
  if (!mounted) return null;
  return (
    <div className={clsx(className, themeStyles.buttonGroup)}>
      <WordWrapButton />
      <CopyButton />
    </div>
  );
}
