import { describe, expect, it } from 'vitest';
import { AttemptAbort } from './attempt-abort.js';

describe('AttemptAbort', () => {
  it('aborts once, with the reason an AbortController gives', () => {
    const abort = new AttemptAbort();
    let heard = 0;
    abort.once('abort', () => heard++);
    expect(abort.aborted).toBe(false);
    abort.abort();
    abort.abort();
    expect(heard).toBe(1);
    expect(abort.aborted).toBe(true);
    const controller = new AbortController();
    controller.abort();
    expect(abort.reason).toEqual(controller.signal.reason);
    expect((abort.reason as Error).name).toBe('AbortError');
  });
});
