import { describe, expect, it } from 'vitest';
import { Role, type User } from '../../api/types.js';
import { allowedActions, changesBody, createBody, editValues, grantableRoles, roleKey } from './userRules.js';

const user = (over: Partial<User> = {}): User => ({
  id: 5,
  username: 'alice',
  display_name: 'Alice',
  email: '',
  role: Role.user,
  status: 1,
  has_access_token: false,
  created_at: 1,
  updated_at: 1,
  ...over,
});

const root = { id: 1, role: Role.root };
const admin = { id: 2, role: Role.admin };
const sorted = (set: Set<string>) => [...set].sort();

describe('grantableRoles', () => {
  it('lets admins create plain users and root also admins, never root', () => {
    expect(grantableRoles(Role.admin)).toEqual([Role.user]);
    expect(grantableRoles(Role.root)).toEqual([Role.user, Role.admin]);
    expect(grantableRoles(Role.user)).toEqual([]);
  });
});

describe('allowedActions', () => {
  it('gives an admin everything but promote/demote on a plain user', () => {
    expect(sorted(allowedActions(admin, user()))).toEqual(['delete', 'disable', 'edit']);
    expect(sorted(allowedActions(admin, user({ status: 2 })))).toEqual(['delete', 'edit', 'enable']);
  });
  it('hides every action on equals, betters, root and yourself', () => {
    expect(allowedActions(admin, user({ id: 3, role: Role.admin })).size).toBe(0);
    expect(allowedActions(admin, user({ id: 1, role: Role.root })).size).toBe(0);
    expect(allowedActions(root, user({ id: 7, role: Role.root })).size).toBe(0);
    expect(allowedActions(root, user({ id: 1, role: Role.root })).size).toBe(0);
    expect(allowedActions(admin, user({ id: 2, role: Role.admin })).size).toBe(0);
  });
  it('lets root promote plain users and demote admins', () => {
    expect(sorted(allowedActions(root, user()))).toEqual(['delete', 'disable', 'edit', 'promote']);
    expect(sorted(allowedActions(root, user({ role: Role.admin })))).toEqual(['delete', 'demote', 'disable', 'edit']);
  });
  it('gives a plain user nothing', () => {
    expect(allowedActions({ id: 9, role: Role.user }, user()).size).toBe(0);
  });
});

describe('roleKey', () => {
  it('names the three roles', () => {
    expect([1, 10, 100].map(roleKey)).toEqual(['user', 'admin', 'root']);
  });
});

describe('createBody', () => {
  it('trims and leaves out empty optional fields', () => {
    expect(createBody({ username: ' bob ', password: '12345678', display_name: ' ', email: '', role: 1 })).toEqual({
      username: 'bob',
      password: '12345678',
      role: 1,
    });
    expect(
      createBody({ username: 'bob', password: '12345678', display_name: ' Bob ', email: 'b@x.io', role: 10 }),
    ).toEqual({ username: 'bob', password: '12345678', display_name: 'Bob', email: 'b@x.io', role: 10 });
  });
});

describe('changesBody', () => {
  it('sends nothing when nothing changed and the password is empty', () => {
    const target = user({ email: 'a@x.io' });
    expect(changesBody(target, editValues(target))).toEqual({});
  });
  it('sends only the changed fields, the password when given and the status as a number', () => {
    const target = user();
    expect(
      changesBody(target, { display_name: ' Al ', email: 'a@x.io', password: 'longenough', enabled: false }),
    ).toEqual({ display_name: 'Al', email: 'a@x.io', password: 'longenough', status: 2 });
    expect(changesBody(user({ status: 2 }), { ...editValues(user({ status: 2 })), enabled: true })).toEqual({
      status: 1,
    });
  });
});
