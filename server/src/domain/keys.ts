/** Upstream keys: NewAPI stores them without `sk-`; the gateway keeps them with it. */
export function withSkPrefix(key: string): string {
  return key.startsWith('sk-') ? key : `sk-${key}`;
}

export function isMaskedKey(key: string): boolean {
  return key.includes('*');
}

/** Whether a masked key (`abcd**********wxyz`) is the mask of a key we already hold. */
export function maskMatches(masked: string, known: string): boolean {
  const raw = known.replace(/^sk-/, '');
  const bare = masked.replace(/^sk-/, '');
  const prefix = bare.slice(0, bare.indexOf('*'));
  const suffix = bare.slice(bare.lastIndexOf('*') + 1);
  return (
    raw.length > 0 && raw.length >= prefix.length + suffix.length && raw.startsWith(prefix) && raw.endsWith(suffix)
  );
}

/** What the panel shows of a secret key: its prefix, four characters each end, and stars. */
export function maskKey(key: string): string {
  if (!key) return '';
  const prefix = key.startsWith('sk-') ? 'sk-' : key.startsWith('ag-') ? 'ag-' : '';
  const raw = key.slice(prefix.length);
  if (raw.length <= 8) return `${prefix}${'*'.repeat(raw.length)}`;
  return `${prefix}${raw.slice(0, 4)}${'*'.repeat(8)}${raw.slice(-4)}`;
}
