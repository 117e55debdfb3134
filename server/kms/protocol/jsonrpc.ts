/** JSON-RPC 2.0 envelopes as KMS reads and writes them (JsonRpcHandler.cpp): validation, replies, param readers. */
import { KmsError } from '../errors';

export type JsonRpcId = number | string | null;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id?: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcSuccess {
  id: JsonRpcId;
  jsonrpc: '2.0';
  /** null only where KMS leaves the response empty (closeSession). */
  result: Record<string, unknown> | null;
}

export interface JsonRpcFailure {
  id: JsonRpcId;
  jsonrpc: '2.0';
  error: { code: number; message: string; data?: unknown };
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;

export type ParsedFrame =
  | { ok: true; request: JsonRpcRequest; isNotification: boolean }
  | { ok: false; response: JsonRpcFailure };

export function failure(id: JsonRpcId, error: KmsError): JsonRpcFailure {
  return { id, jsonrpc: '2.0', error: error.toJson() };
}

export function success(id: JsonRpcId, result: Record<string, unknown> | null): JsonRpcSuccess {
  return { id, jsonrpc: '2.0', result };
}

/** Parses and checks one text frame: -32700 for unparsable JSON, -32600 for anything that is not a request. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: failure(null, new KmsError('PARSE_ERROR', 'Parse error.')) };
  }
  const invalid = (): ParsedFrame => ({ ok: false, response: failure(null, new KmsError('INVALID_REQUEST', 'Invalid JSON-RPC request.')) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid();
  const record = value as Record<string, unknown>;
  if (record.jsonrpc !== '2.0') return invalid();
  if ('id' in record && record.id !== null && typeof record.id !== 'number' && typeof record.id !== 'string') return invalid();
  if (typeof record.method !== 'string') return invalid();
  const params = record.params;
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    return { ok: false, response: failure(idOf(record), new KmsError('INVALID_PARAMS', "'params' should be an object")) };
  }
  const request: JsonRpcRequest = { jsonrpc: '2.0', method: record.method };
  if ('id' in record) request.id = record.id as JsonRpcId;
  if (params !== undefined && params !== null) request.params = params as Record<string, unknown>;
  return { ok: true, request, isNotification: !('id' in record) };
}

function idOf(record: Record<string, unknown>): JsonRpcId {
  const id = record.id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

/** Reads a required string member of `params`, with KMS' -32000 messages. */
export function requireString(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (value === undefined || value === null) throw new KmsError('SERVER_ERROR', `'${name}' parameter is required`);
  if (typeof value !== 'string') throw new KmsError('SERVER_ERROR', `'${name}' parameter should be a string`);
  return value;
}

export function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new KmsError('SERVER_ERROR', `'${name}' parameter should be a string`);
  return value;
}

/** Methods whose params KMS requires (`'params' is required` when absent). */
export function requireParams(request: JsonRpcRequest): Record<string, unknown> {
  if (!request.params) throw new KmsError('INVALID_PARAMS', "'params' is required");
  return request.params;
}
