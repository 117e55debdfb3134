import type { ReactNode } from 'react';
import { ThemedComponent } from '@docusaurus/theme-common';
import useBaseUrl from '@docusaurus/useBaseUrl';
import styles from './styles.module.css';

export interface DiagramProps {
  /** The SVG files of the light and dark renderings (/diagrams/<hash>.<theme>.svg). */
  light: string;
  dark: string;
  /** Pixels (strings when the build writes them as MDX attributes). */
  width: number | string;
  height: number | string;
  /** What the diagram shows, in words (from its labels; the prose around it explains). */
  alt: string;
}

/**
 * A chapter's Mermaid diagram, rendered to SVG at authoring time (scripts/render-diagrams.ts) and put here by the
 * build (src/plugins/remark-diagrams.ts): an image per colour mode, no Mermaid code in the page. A click opens the
 * SVG at full size, for diagrams wider than the column.
 */
export default function Diagram({ light, dark, width, height, alt }: DiagramProps): ReactNode {
  const sources = { light: useBaseUrl(light), dark: useBaseUrl(dark) };
  return (
    <figure className={styles.diagram}>
      <ThemedComponent>
        {({ theme, className }) => (
          <a href={sources[theme]} className={className} target="_blank" rel="noopener">
            <img src={sources[theme]} alt={alt} width={Number(width)} height={Number(height)} loading="lazy" decoding="async" />
          </a>
        )}
      </ThemedComponent>
    </figure>
  );
}
