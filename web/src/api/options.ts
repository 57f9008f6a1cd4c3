import { api } from './client.js';

export type OptionValue = string | number | boolean;

export interface OptionEntry {
  key: string;
  value: OptionValue;
  default: OptionValue;
}

export const OPTIONS_QUERY_KEY = ['options'] as const;

export const optionsApi = {
  list: () => api.get<OptionEntry[]>('/api/option/'),
  update: (key: string, value: OptionValue) => api.put<OptionEntry>('/api/option/', { key, value }),
};
