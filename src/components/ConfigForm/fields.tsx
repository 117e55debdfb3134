/**
 * The pieces the configuration forms of the site share (KmsConfigForm, CoturnConfigForm): a text field with its
 * configuration key, hint and messages wired for screen readers, a checkbox, the list of messages of a field, and an
 * output block (a copyable code block, or a note saying why it is empty).
 */
import { useId, type ReactNode } from 'react';
import { translate } from '@docusaurus/Translate';
import CodeBlock from '@theme/CodeBlock';
import styles from './styles.module.css';

export { styles };

/** A problem found in a field; without a level it is an error. */
export interface FieldIssue {
  code: string;
  level?: 'error' | 'warning';
}

const isError = (issue: FieldIssue): boolean => (issue.level ?? 'error') === 'error';

export function Messages<I extends FieldIssue>({ id, issues, describe }: { id: string; issues: readonly I[]; describe: (issue: I) => string }): ReactNode {
  if (issues.length === 0) return null;
  return (
    <ul className={styles.messages} id={id}>
      {issues.map((issue, index) => (
        <li key={`${issue.code}-${index}`} className={isError(issue) ? styles.error : styles.warning} data-code={issue.code}>
          <strong>
            {isError(issue)
              ? translate({ id: 'configForm.level.error', message: 'Error:' })
              : translate({ id: 'configForm.level.warning', message: 'Warning:' })}
          </strong>{' '}
          {describe(issue)}
        </li>
      ))}
    </ul>
  );
}

export interface TextFieldProps<I extends FieldIssue> {
  name: string;
  label: ReactNode;
  /** The key of the configuration file this field writes, shown next to the label. */
  configKey?: string;
  value: string;
  onChange: (value: string) => void;
  issues: readonly I[];
  describe: (issue: I) => string;
  hint?: ReactNode;
  placeholder?: string;
  numeric?: boolean;
  wide?: boolean;
}

export function TextField<I extends FieldIssue>({ name, label, configKey, value, onChange, issues, describe, hint, placeholder, numeric, wide }: TextFieldProps<I>): ReactNode {
  const id = useId();
  const messagesId = `${id}-messages`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : undefined, issues.length > 0 ? messagesId : undefined].filter(Boolean).join(' ') || undefined;
  const hasError = issues.some(isError);
  return (
    <div className={wide ? `${styles.field} ${styles.wide}` : styles.field} data-field={name}>
      <label htmlFor={id} className={styles.label}>
        {label}
        {configKey && (
          <>
            {' '}
            <code>{configKey}</code>
          </>
        )}
      </label>
      <input
        id={id}
        name={name}
        type="text"
        className={hasError ? `${styles.input} ${styles.inputError}` : styles.input}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        inputMode={numeric ? 'numeric' : undefined}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy}
      />
      {hint && (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      )}
      <Messages id={messagesId} issues={issues} describe={describe} />
    </div>
  );
}

export function Checkbox({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: (value: boolean) => void; children: ReactNode }): ReactNode {
  const id = useId();
  return (
    <div className={styles.checkbox} data-field={name}>
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{children}</label>
    </div>
  );
}

/** One generated file or command: a code block with a copy button, or `empty` when there is nothing to write. */
export function Output({ title, language, text, empty, testId, children }: { title: string; language: string; text: string; empty?: ReactNode; testId?: string; children?: ReactNode }): ReactNode {
  return (
    <div className={styles.output} data-testid={testId}>
      {text === '' ? (
        <div className={styles.emptyOutput}>
          <p className={styles.outputTitle}>
            <code>{title}</code>
          </p>
          <p>{empty}</p>
        </div>
      ) : (
        <CodeBlock language={language} title={title}>
          {text}
        </CodeBlock>
      )}
      {children}
    </div>
  );
}
