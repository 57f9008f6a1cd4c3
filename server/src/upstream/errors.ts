/** Why a call to an upstream's management API failed; the message never carries a credential. */
export type UpstreamFailure = 'network' | 'timeout' | 'http' | 'auth' | 'envelope' | 'malformed';

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
