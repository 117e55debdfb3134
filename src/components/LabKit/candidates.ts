/**
 * The ICE candidates of a run, as the candidate table shows them: parsed from the candidate lines themselves (RFC 8839
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr … rport …] [tcptype …]`)
 * of the browser's `icecandidate` events and KMS' `IceCandidateFound` events, plus the browser's `icecandidateerror`
 * events. Pure: no React, so the unit tests import it.
 */
import type { LabEvent } from '@site/labs/framework/types';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface ParsedCandidate {
  foundation: string;
  component: number;
  protocol: string;
  priority: number;
  address: string;
  port: number;
  /** host, srflx, prflx or relay (CandidateType); kept as written for anything else. */
  type: string;
  relatedAddress: string | undefined;
  relatedPort: number | undefined;
  tcpType: string | undefined;
}

/** Parses one candidate line (with or without `a=` / `candidate:`); undefined when it is not one. */
export function parseCandidate(text: string): ParsedCandidate | undefined {
  const line = text.trim().replace(/^a=/, '').replace(/^candidate:/, '');
  const parts = line.split(/\s+/);
  if (parts.length < 8 || parts[6] !== 'typ') return undefined;
  const [foundation = '', component = '', protocol = '', priority = '', address = '', port = '', , type = ''] = parts;
  if (!/^\d+$/.test(component) || !/^\d+$/.test(priority) || !/^\d+$/.test(port) || address === '' || type === '') return undefined;
  const extensions = new Map<string, string>();
  for (let index = 8; index + 1 < parts.length; index += 2) {
    const key = parts[index];
    const value = parts[index + 1];
    if (key !== undefined && value !== undefined) extensions.set(key, value);
  }
  const rport = extensions.get('rport');
  return {
    foundation,
    component: Number(component),
    protocol: protocol.toLowerCase(),
    priority: Number(priority),
    address,
    port: Number(port),
    type,
    relatedAddress: extensions.get('raddr'),
    relatedPort: rport !== undefined && /^\d+$/.test(rport) ? Number(rport) : undefined,
    tcpType: extensions.get('tcptype'),
  };
}

export type CandidateSide = 'browser' | 'kms';

export interface CandidateRow {
  /** Milliseconds since the run started. */
  t: number;
  side: CandidateSide;
  /** The role that raised it (the lab's name of the peer or endpoint). */
  source: string;
  candidate: ParsedCandidate;
  raw: string;
  /** The STUN or TURN server the browser gathered it from, when the browser says. */
  url: string | undefined;
}

export interface CandidateError {
  t: number;
  source: string;
  errorCode: number;
  errorText: string;
  url: string;
  /** How many times the browser reported this same error (once per local address or m-line). */
  count: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The rows of the table, in the order they were recorded. KMS reports each candidate once per m-line (same line,
 * other sdpMid); the table shows it once.
 */
export function candidateRows(events: readonly LabEvent[]): { rows: CandidateRow[]; errors: CandidateError[] } {
  const rows: CandidateRow[] = [];
  const errors: CandidateError[] = [];
  const seen = new Set<string>();
  const errorIndex = new Map<string, CandidateError>();
  for (const event of events) {
    if (event.lane === 'browser' && event.type === 'icecandidateerror') {
      const errorCode = Number(event.data.errorCode ?? 0);
      const errorText = text(event.data.errorText) ?? '';
      const url = text(event.data.url) ?? '';
      const key = `${event.source}|${errorCode}|${errorText}|${url}`;
      const known = errorIndex.get(key);
      if (known) {
        known.count += 1;
        continue;
      }
      const error: CandidateError = { t: event.t, source: event.source, errorCode, errorText, url, count: 1 };
      errorIndex.set(key, error);
      errors.push(error);
      continue;
    }
    let raw: string | undefined;
    let side: CandidateSide;
    let url: string | undefined;
    if (event.lane === 'browser' && event.type === 'icecandidate') {
      raw = text(event.data.candidate);
      side = 'browser';
      url = text(event.data.url);
    } else if (event.lane === 'kms' && event.type === 'IceCandidateFound') {
      const candidate = event.data.candidate;
      raw = typeof candidate === 'object' && candidate !== null ? text((candidate as Record<string, unknown>).candidate) : undefined;
      side = 'kms';
    } else {
      continue;
    }
    if (!raw) continue;
    const key = `${side}|${event.source}|${raw}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const candidate = parseCandidate(raw);
    if (candidate) rows.push({ t: event.t, side, source: event.source, candidate, raw, url });
  }
  return { rows, errors };
}
