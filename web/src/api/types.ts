/** Shapes of the admin API's answers (docs/api.md); the server is the source of truth. */
export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string;
  role: number;
  status: number;
  has_access_token: boolean;
  created_at: number;
  updated_at: number;
  default_password?: boolean;
}

export interface PublicStatus {
  version: string;
  start_time: number;
  system_name: string;
  notice: string;
  footer: string;
  about: string;
  register_enabled: boolean;
  password_login_enabled: boolean;
}

export const Role = { user: 1, admin: 10, root: 100 } as const;
