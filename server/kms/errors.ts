/**
 * Errors with the codes and `data.type` strings of Kurento Media Server 7.3 (KurentoException.hpp, JsonRpcException.hpp).
 * Every layer of the embedded server throws these; the protocol layer turns them into JSON-RPC error objects.
 */

export const KmsErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_ERROR: -32000,
  MARSHALL_ERROR: 40001,
  UNEXPECTED_ERROR: 40003,
  CONNECT_ERROR: 40004,
  UNSUPPORTED_MEDIA_TYPE: 40005,
  NOT_IMPLEMENTED: 40006,
  INVALID_SESSION: 40007,
  MALFORMED_TRANSACTION: 40008,
  NOT_ENOUGH_RESOURCES: 40009,
  MEDIA_OBJECT_TYPE_NOT_FOUND: 40100,
  MEDIA_OBJECT_NOT_FOUND: 40101,
  MEDIA_OBJECT_METHOD_NOT_FOUND: 40105,
  MEDIA_OBJECT_EVENT_NOT_SUPPORTED: 40106,
  MEDIA_OBJECT_ILLEGAL_PARAM_ERROR: 40107,
  MEDIA_OBJECT_NOT_AVAILABLE: 40108,
  MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT: 40109,
  MEDIA_OBJECT_TAG_KEY_NOT_FOUND: 40110,
  MEDIA_OBJECT_OPERATION_NOT_SUPPORTED: 40111,
  SDP_CREATE_ERROR: 40200,
  SDP_PARSE_ERROR: 40201,
  SDP_END_POINT_NO_LOCAL_SDP_ERROR: 40202,
  SDP_END_POINT_NO_REMOTE_SDP_ERROR: 40203,
  SDP_END_POINT_GENERATE_OFFER_ERROR: 40204,
  SDP_END_POINT_PROCESS_OFFER_ERROR: 40205,
  SDP_END_POINT_PROCESS_ANSWER_ERROR: 40206,
  SDP_CONFIGURATION_ERROR: 40207,
  SDP_END_POINT_ALREADY_NEGOTIATED: 40208,
  SDP_END_POINT_NOT_OFFER_GENERATED: 40209,
  SDP_END_POINT_ANSWER_ALREADY_PROCCESED: 40210,
  SDP_END_POINT_CANNOT_CREATE_SESSON: 40211,
  ICE_GATHER_CANDIDATES_ERROR: 40400,
  ICE_ADD_CANDIDATE_ERROR: 40401,
  UNDEFINED: 40500,
  URI_PATH_FILE_NOT_FOUND: 40600,
  PLAYER_SEEK_FAIL: 40700,
} as const;

export type KmsErrorType = keyof typeof KmsErrorCode;

/** JSON-RPC level errors carry no `data.type` in KMS, except PARSE_ERROR and INVALID_PARAMS. */
const UNTYPED = new Set<KmsErrorType>(['INVALID_REQUEST', 'METHOD_NOT_FOUND', 'INTERNAL_ERROR', 'SERVER_ERROR']);

export class KmsError extends Error {
  readonly code: number;
  readonly type: KmsErrorType;

  constructor(type: KmsErrorType, message: string) {
    super(message);
    this.name = 'KmsError';
    this.type = type;
    this.code = KmsErrorCode[type];
  }

  /** The JSON-RPC `error` member, as KMS writes it. */
  toJson(): { code: number; message: string; data?: { type: string } } {
    return UNTYPED.has(this.type) ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: { type: this.type } };
  }
}

export const kmsErrors = {
  objectNotFound: (id: string) => new KmsError('MEDIA_OBJECT_NOT_FOUND', `Object '${id}' not found`),
  factoryNotFound: (type: string) => new KmsError('MEDIA_OBJECT_NOT_AVAILABLE', `Factory '${type}' not found`),
  eventNotSupported: (event: string) => new KmsError('MEDIA_OBJECT_EVENT_NOT_SUPPORTED', `Event '${event}' not supported`),
  methodNotFound: (operation: string, paramCount: number) =>
    new KmsError('MALFORMED_TRANSACTION', `Method '${operation}' with ${paramCount} parameters not found`),
  marshall: (message: string) => new KmsError('MARSHALL_ERROR', message),
  invalidSession: () => new KmsError('INVALID_SESSION', 'Invalid session'),
};
