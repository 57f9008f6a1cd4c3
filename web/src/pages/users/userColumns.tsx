import { Button, Popconfirm, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { User } from '../../api/types.js';
import type { ManageAction } from '../../api/users.js';
import { formatTime } from '../../components/time.js';
import { ROLE_COLORS, UserStatus, allowedActions, roleKey } from './userRules.js';

interface Options {
  caller: Pick<User, 'id' | 'role'>;
  busy: { id: number; action: ManageAction } | null;
  onEdit: (user: User) => void;
  onManage: (user: User, action: ManageAction) => void;
}

export function userColumns(t: TFunction, { caller, busy, onEdit, onManage }: Options): ColumnsType<User> {
  const loading = (user: User, action: ManageAction) => busy?.id === user.id && busy.action === action;
  return [
    { title: t('users.fields.id'), dataIndex: 'id', width: 70 },
    {
      title: t('users.fields.username'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <Space size={4}>
          {username}
          {user.id === caller.id && <Tag color="green">{t('users.you')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.fields.displayName'), dataIndex: 'display_name', ellipsis: true },
    {
      title: t('users.fields.email'),
      dataIndex: 'email',
      ellipsis: true,
      render: (email: string) => email || <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('users.fields.role'),
      dataIndex: 'role',
      render: (role: number) => <Tag color={ROLE_COLORS[roleKey(role)]}>{t(`users.roles.${roleKey(role)}`)}</Tag>,
    },
    {
      title: t('users.fields.status'),
      dataIndex: 'status',
      render: (status: number) =>
        status === UserStatus.enabled ? (
          <Tag color="success">{t('common.status.enabled')}</Tag>
        ) : (
          <Tag color="error">{t('common.status.disabled')}</Tag>
        ),
    },
    { title: t('users.fields.created'), dataIndex: 'created_at', render: (time: number) => formatTime(time) },
    {
      title: t('users.fields.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, user) => {
        const allowed = allowedActions(caller, user);
        if (allowed.size === 0) {
          const why = user.id === caller.id ? t('users.selfHint') : t('users.higherHint');
          return <Typography.Text type="secondary">{why}</Typography.Text>;
        }
        const link = (action: Exclude<ManageAction, 'delete'>, label: string) =>
          allowed.has(action) && (
            <Button type="link" size="small" loading={loading(user, action)} onClick={() => onManage(user, action)}>
              {label}
            </Button>
          );
        return (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => onEdit(user)}>
              {t('common.actions.edit')}
            </Button>
            {link('enable', t('common.actions.enable'))}
            {link('disable', t('common.actions.disable'))}
            {link('promote', t('users.actions.promote'))}
            {link('demote', t('users.actions.demote'))}
            <Popconfirm
              title={t('users.deleteConfirm', { name: user.username })}
              description={t('users.deleteHint')}
              okText={t('common.actions.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.actions.cancel')}
              onConfirm={() => onManage(user, 'delete')}
            >
              <Button type="link" size="small" danger loading={loading(user, 'delete')}>
                {t('common.actions.delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];
}
