import { EventEmitter } from 'node:events';

/**
 * Cancels one upstream attempt. undici takes an EventEmitter as a request's signal as readily as an
 * AbortSignal, and making an AbortController (an EventTarget, with undici listening through
 * addEventListener) cost about 2 % of a relayed call. The reason is the one an AbortController
 * gives, so the errors undici raises on abort stay the same.
 */
export class AttemptAbort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    this.emit('abort');
  }
}
