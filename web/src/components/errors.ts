import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.js';

/** A readable sentence for a failed call: the server's own message, or ours when it never answered. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return t('common.errors.network');
    return error.message || t('common.errors.unknown');
  }
  return t('common.errors.unknown');
}
