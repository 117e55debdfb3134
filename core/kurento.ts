/**
 * kurento-client 7.3 swallows errors in its promise form (a failed call resolves `undefined` after a console.trace),
 * so the labs call KMS in the callback form, where errors arrive. `call` wraps that into a promise that rejects.
 */
export function call<T>(invoke: (callback: (error: unknown, result: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    invoke((error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/**
 * Creates a KMS object; resolves, once KMS confirmed it, with `[object]` — the real kurento-client object — or rejects
 * with KMS' error. kurento-client 7.3 hands callbacks and promises a plain copy of the object, which is no longer
 * `instanceof MediaObject`: passed as a parameter (`dispatcher.setSource(port)`) the copy is sent as JSON instead of
 * its id, and KMS refuses it. The object returned by `create()` itself is the real one; it travels in an array
 * because it is thenable, and a promise resolved with a thenable would unwrap it into the copy again.
 */
export function create<T extends object>(factory: (callback: (error: unknown) => void) => T): Promise<[T]> {
  return new Promise<[T]>((resolve, reject) => {
    const object: T = factory((error) => {
      if (error) reject(error);
      else resolve([object]);
    });
  });
}

/** A plain RTCIceCandidateInit from the candidate KMS sends in IceCandidateFound (which carries __module__/__type__). */
export function browserCandidate(candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number }): RTCIceCandidateInit {
  return { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
}

/** JSON-friendly copy of a browser RTCIceCandidate for addIceCandidate on KMS. */
export function kmsCandidate(candidate: RTCIceCandidate | RTCIceCandidateInit): { candidate: string; sdpMid: string; sdpMLineIndex: number } {
  return { candidate: candidate.candidate ?? '', sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 };
}

/** Formats a value for code shown to learners. */
export function js(value: unknown): string {
  return JSON.stringify(value);
}

/** A value a previous step must have put in the lab state. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`the lab state has no ${name} yet (a previous step did not run)`);
  return value;
}
