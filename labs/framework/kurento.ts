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
