export interface PublicStatus {
  version: string;
  system_name: string;
  start_time: number;
  register_enabled: boolean;
  password_login_enabled: boolean;
}

/** Reads the gateway's public status; undefined when the server cannot be reached or answers garbage. */
export async function fetchStatus(fetchFn: typeof fetch): Promise<PublicStatus | undefined> {
  try {
    const response = await fetchFn('/api/status');
    const body = (await response.json()) as { success?: boolean; data?: PublicStatus };
    return body.success && body.data ? body.data : undefined;
  } catch {
    return undefined;
  }
}
