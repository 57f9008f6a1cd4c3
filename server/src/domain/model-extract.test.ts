import { describe, expect, it } from 'vitest';
import { modelFromGeminiPath } from './relay-endpoints.js';
import { modelFromJson, modelFromMultipart } from './model-extract.js';

describe('modelFromJson', () => {
  it('reads the model field, and nothing when absent', () => {
    expect(modelFromJson(Buffer.from('{"model":"gpt-4o","messages":[]}'))).toEqual({ model: 'gpt-4o' });
    expect(modelFromJson(Buffer.from('{"input":"x"}'))).toEqual({ model: undefined });
    expect(modelFromJson(Buffer.alloc(0))).toEqual({ model: undefined });
  });

  it('says why a body cannot be read', () => {
    expect(modelFromJson(Buffer.from('{"model":'))).toEqual({ invalid: expect.stringContaining('JSON') });
    expect(modelFromJson(Buffer.from('[1]'))).toEqual({ invalid: expect.stringContaining('object') });
    expect(modelFromJson(Buffer.from('{"model":42}'))).toEqual({ invalid: 'model must be a string' });
  });
});

describe('modelFromMultipart', () => {
  const form = (boundary: string, parts: Array<[string, string]>) =>
    Buffer.from(
      parts
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join('') + `--${boundary}--\r\n`,
    );

  it('finds the model part wherever it is', () => {
    const body = form('XyZ', [
      ['file', 'RIFF....binary'],
      ['model', 'whisper-1'],
      ['language', 'en'],
    ]);
    expect(modelFromMultipart(body, 'multipart/form-data; boundary=XyZ')).toEqual({ model: 'whisper-1' });
    expect(modelFromMultipart(body, 'multipart/form-data; boundary="XyZ"')).toEqual({ model: 'whisper-1' });
  });

  it('gives nothing without a model part and refuses a missing boundary', () => {
    expect(modelFromMultipart(form('b', [['file', 'x']]), 'multipart/form-data; boundary=b')).toEqual({
      model: undefined,
    });
    expect(modelFromMultipart(Buffer.from('x'), 'multipart/form-data')).toEqual({ invalid: expect.any(String) });
  });
});

describe('modelFromGeminiPath', () => {
  it('reads the model between /models/ and the action', () => {
    expect(modelFromGeminiPath('/v1beta/models/gemini-2.5-flash:generateContent')).toBe('gemini-2.5-flash');
    expect(modelFromGeminiPath('/v1beta/models/gemini-pro:streamGenerateContent?alt=sse')).toBe('gemini-pro');
    expect(modelFromGeminiPath('/v1/models/text-embedding-004:embedContent')).toBe('text-embedding-004');
    expect(modelFromGeminiPath('/v1beta/models/')).toBeUndefined();
  });
});
