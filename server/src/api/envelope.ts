/** The admin API's envelope, as NewAPI's: `{success, message, data}`. */
export interface Envelope<T> {
  success: true;
  message: string;
  data: T;
}

export function ok<T>(data: T, message = ''): Envelope<T> {
  return { success: true, message, data };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}
