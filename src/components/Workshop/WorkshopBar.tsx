/** An attendee's workshop bar: the trainer's banner, and that the trainer sees this attendee's progress (and as whom). */
import { useEffect, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import { displayName, setDisplayName, useBanner, useDisplayName } from '@site/src/kurento/workshop';
import styles from './workshop.module.css';

export default function WorkshopBar(): ReactNode {
  const name = useDisplayName();
  const banner = useBanner();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  useEffect(() => {
    // The trainer sees this attendee from the first page, before any lab runs.
    setDisplayName(displayName());
  }, []);
  return (
    <div className={styles.bar} data-testid="workshop-bar">
      {banner ? (
        <div className={styles.banner} role="status" data-testid="workshop-banner">
          {banner}
        </div>
      ) : null}
      <div className={styles.notice} data-testid="workshop-notice">
        <Translate id="workshop.notice" values={{ name: <strong data-testid="workshop-name">{name}</strong> }}>
          {'Workshop: your trainer sees the progress of your labs (which lab, which step, the errors) under the name {name}.'}
        </Translate>{' '}
        {editing ? (
          <form
            className={styles.nameForm}
            onSubmit={(event) => {
              event.preventDefault();
              setDisplayName(draft);
              setEditing(false);
            }}
          >
            <input
              data-testid="workshop-name-input"
              value={draft}
              maxLength={40}
              aria-label={translate({ id: 'workshop.nameLabel', message: 'Your display name' })}
              onChange={(event) => setDraft(event.target.value)}
            />
            <button type="submit" className="button button--sm button--primary" disabled={draft.trim() === ''} data-testid="workshop-name-save">
              <Translate id="workshop.nameSave">Save</Translate>
            </button>
          </form>
        ) : (
          <button
            type="button"
            className="button button--sm button--link"
            data-testid="workshop-name-change"
            onClick={() => {
              setDraft(name);
              setEditing(true);
            }}
          >
            <Translate id="workshop.nameChange">Change name</Translate>
          </button>
        )}
      </div>
    </div>
  );
}
