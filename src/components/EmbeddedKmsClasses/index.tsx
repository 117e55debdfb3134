import { Fragment, type ReactNode } from 'react';
import Translate from '@docusaurus/Translate';
import { EMBEDDED_KMS, implementedClasses, missingClasses } from '@site/core/embedded-kms';

/** Class names as inline code, separated by commas. */
function names(list: readonly string[]): ReactNode {
  if (list.length === 0) return '—';
  return list.map((name, index) => (
    <Fragment key={name}>
      {index > 0 ? ', ' : ''}
      <code>{name}</code>
    </Fragment>
  ));
}

/**
 * What the embedded KMS implements, from core/embedded-kms.generated.json (generated from the server's factory table,
 * never written by hand): a table by KMD module, or, with `list`, the classes it implements (or that answer 40108)
 * inline in a sentence.
 */
export default function EmbeddedKmsClasses({ list }: { list?: 'implemented' | 'missing' }): ReactNode {
  if (list === 'implemented') return <span data-testid="embedded-kms-implemented">{names(implementedClasses())}</span>;
  if (list === 'missing') return <span data-testid="embedded-kms-missing">{names(missingClasses())}</span>;
  return (
    <table data-testid="embedded-kms-classes">
      <thead>
        <tr>
          <th>
            <Translate id="embeddedKms.module">KMD module</Translate>
          </th>
          <th>
            <Translate id="embeddedKms.implemented">Implemented by the embedded KMS</Translate>
          </th>
          <th>
            <Translate id="embeddedKms.missing">Not implemented: create answers 40108</Translate>
          </th>
        </tr>
      </thead>
      <tbody>
        {EMBEDDED_KMS.modules.map((module) => (
          <tr key={module.name} data-module={module.name}>
            <td>
              <code>{module.name}</code>
            </td>
            <td>{names(module.implemented)}</td>
            <td>{names(module.missing)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
