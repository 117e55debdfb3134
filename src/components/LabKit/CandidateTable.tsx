import { memo, useMemo, type ReactNode } from 'react';
import clsx from 'clsx';
import Translate, { translate } from '@docusaurus/Translate';
import type { LabEvent } from '@site/labs/framework/types';
import { candidateRows, type CandidateError, type CandidateRow, type CandidateSide } from './candidates';
import styles from './candidates.module.css';

export interface CandidateTableProps {
  events: readonly LabEvent[];
}

function elapsed(t: number): string {
  return `+${(t / 1000).toFixed(3)} s`;
}

function sideLabel(side: CandidateSide): string {
  return side === 'browser'
    ? translate({ id: 'lab.candidates.side.browser', message: 'Browser', description: 'Candidates gathered by the browser' })
    : translate({ id: 'lab.candidates.side.kms', message: 'KMS', description: 'Candidates gathered by Kurento Media Server' });
}

/** What each candidate type means, for the title attribute of its cell. */
function typeHint(type: string): string | undefined {
  switch (type) {
    case 'host':
      return translate({ id: 'lab.candidates.typeHint.host', message: 'host: an address of the machine itself (or an mDNS .local name hiding it)' });
    case 'srflx':
      return translate({ id: 'lab.candidates.typeHint.srflx', message: 'srflx (server reflexive): the address a STUN server saw, outside the NAT' });
    case 'prflx':
      return translate({ id: 'lab.candidates.typeHint.prflx', message: 'prflx (peer reflexive): an address learnt from the other peer’s connectivity checks' });
    case 'relay':
      return translate({ id: 'lab.candidates.typeHint.relay', message: 'relay: an address allocated on the TURN server, which forwards the media' });
    default:
      return undefined;
  }
}

/** Plain words for the TURN/STUN error codes a learner meets. */
function errorExplanation(code: number): string | undefined {
  if (code === 401) {
    return translate({
      id: 'lab.candidates.error.401',
      message: 'The TURN server refused the credentials: the username or the password is wrong, or the realm does not match the one coturn is configured with.',
    });
  }
  if (code === 701) {
    return translate({
      id: 'lab.candidates.error.701',
      message: 'The TURN server could not be reached: check its address and port, that it runs (systemctl status coturn) and that no firewall blocks the port (UDP, or TCP for ?transport=tcp).',
    });
  }
  return undefined;
}

function Section({ side, rows }: { side: CandidateSide; rows: readonly CandidateRow[] }): ReactNode {
  const relays = rows.filter((row) => row.candidate.type === 'relay').length;
  return (
    <section className={styles.section} data-testid={`candidate-section-${side}`}>
      <h4 className={styles.heading}>
        {sideLabel(side)}{' '}
        <span className={styles.muted}>
          {translate(
            { id: 'lab.candidates.count', message: '{count} candidates, {relays} relay', description: 'Count of candidates of one side, and how many are relay candidates' },
            { count: String(rows.length), relays: String(relays) },
          )}
        </span>
      </h4>
      {rows.length === 0 ? (
        <p className={styles.empty}>
          <Translate id="lab.candidates.none">No candidate yet.</Translate>
        </p>
      ) : (
        <div className={styles.scroll}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">
                  <Translate id="lab.candidates.col.time">Time</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.side">Side</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.type">Type</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.protocol">Protocol</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.address">Address</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.port">Port</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.priority">Priority</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.related">Related address:port</Translate>
                </th>
                <th scope="col">
                  <Translate id="lab.candidates.col.url">Server URL</Translate>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const { candidate } = row;
                return (
                  <tr
                    key={`${row.side}|${row.source}|${row.raw}`}
                    className={clsx(candidate.type === 'relay' && styles.relay)}
                    data-testid="candidate-row"
                    data-side={row.side}
                    data-type={candidate.type}
                    title={row.raw}
                  >
                    <td className={styles.mono}>{elapsed(row.t)}</td>
                    <td>
                      {sideLabel(row.side)} <span className={styles.muted}>({row.source})</span>
                    </td>
                    <td title={typeHint(candidate.type)}>
                      <span className={clsx(styles.type, styles[`type_${candidate.type}`])}>{candidate.type}</span>
                    </td>
                    <td className={styles.mono}>
                      {candidate.protocol}
                      {candidate.tcpType ? ` ${candidate.tcpType}` : ''}
                    </td>
                    <td className={clsx(styles.mono, styles.address)}>{candidate.address}</td>
                    <td className={styles.mono}>{candidate.port}</td>
                    <td className={styles.mono}>{candidate.priority}</td>
                    <td className={styles.mono}>
                      {candidate.relatedAddress !== undefined ? `${candidate.relatedAddress}:${candidate.relatedPort ?? '?'}` : '—'}
                    </td>
                    <td className={clsx(styles.mono, styles.address)}>{row.url ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Errors({ errors }: { errors: readonly CandidateError[] }): ReactNode {
  if (errors.length === 0) return null;
  return (
    <section className={styles.errors} aria-live="polite">
      <h4 className={styles.heading}>
        <Translate id="lab.candidates.errors.heading">ICE server errors (icecandidateerror)</Translate>
      </h4>
      <ul className={styles.errorList}>
        {errors.map((error) => {
          const explanation = errorExplanation(error.errorCode);
          return (
            <li key={`${error.source}|${error.errorCode}|${error.errorText}|${error.url}`} className={styles.error} data-testid="candidate-error" data-code={error.errorCode}>
              <span className={styles.mono}>{elapsed(error.t)}</span>{' '}
              <strong>
                {error.errorCode} {error.errorText}
              </strong>{' '}
              <span className={styles.mono}>{error.url}</span>{' '}
              <span className={styles.muted}>
                ({error.source}
                {error.count > 1
                  ? `, ${translate({ id: 'lab.candidates.errors.times', message: '{count} times', description: 'How many times the same error was reported' }, { count: String(error.count) })}`
                  : ''}
                )
              </span>
              {explanation && <p className={styles.explanation}>{explanation}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * Trickle ICE, as the browser and KMS report it: every local candidate of the browser peers (icecandidate) and of the
 * WebRtcEndpoints (IceCandidateFound), parsed into type, protocol, address, port, priority and related address, and
 * the browser's icecandidateerror events with what they mean.
 */
function CandidateTableView({ events }: CandidateTableProps): ReactNode {
  const { rows, errors } = useMemo(() => candidateRows(events), [events]);
  const browser = rows.filter((row) => row.side === 'browser');
  const kms = rows.filter((row) => row.side === 'kms');
  return (
    <div className={styles.view} data-testid="candidate-table">
      <p className={styles.muted}>
        <Translate id="lab.candidates.intro">
          Local candidates as each side gathered them: host (an address of the machine), srflx (seen by a STUN server),
          prflx (learnt from the other peer), relay (allocated on a TURN server). Relay rows are highlighted.
        </Translate>
      </p>
      <Errors errors={errors} />
      <Section side="browser" rows={browser} />
      <Section side="kms" rows={kms} />
    </div>
  );
}

const CandidateTable = memo(CandidateTableView);
export default CandidateTable;
