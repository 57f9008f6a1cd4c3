import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Result, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import type { User } from '../../api/types.js';
import { USERS_QUERY_KEY, usersApi, type ManageAction } from '../../api/users.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { CreateUserModal } from './CreateUserModal.js';
import { EditUserModal } from './EditUserModal.js';
import { userColumns } from './userColumns.js';

/** Admins manage the accounts below their own role; root also manages admins. */
export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user: caller, isAdmin } = useAuth();
  const client = useQueryClient();
  const { page, pageSize, setPage, pagination } = useServerPaging();
  const [keyword, setKeyword] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<{ open: boolean; user: User | null }>({ open: false, user: null });

  const list = useQuery({
    queryKey: [...USERS_QUERY_KEY, page, pageSize, keyword],
    queryFn: () => usersApi.list(page, pageSize, keyword || undefined),
    placeholderData: keepPreviousData,
    enabled: isAdmin,
  });
  const invalidate = () => client.invalidateQueries({ queryKey: USERS_QUERY_KEY });
  const manage = useMutation({
    mutationFn: ({ user, action }: { user: User; action: ManageAction }) =>
      action === 'delete' ? usersApi.remove(user.id) : usersApi.manage(user.id, action),
    onSuccess: (_, { action }) => {
      void message.success(t(`users.done.${action}`));
      return invalidate();
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  if (!isAdmin || !caller) return <Result status="403" title={t('users.forbidden')} />;

  const busy =
    manage.isPending && manage.variables ? { id: manage.variables.user.id, action: manage.variables.action } : null;
  const columns = userColumns(t, {
    caller,
    busy,
    onEdit: (user) => setEditing({ open: true, user }),
    onManage: (user, action) => manage.mutate({ user, action }),
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('users.subtitle')}</Typography.Text>
      </div>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-add">
          {t('users.add')}
        </Button>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(value) => {
            setKeyword(value.trim());
            setPage(1);
          }}
          style={{ width: 280 }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
          {t('common.actions.refresh')}
        </Button>
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error, t)} />}
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: keyword ? t('users.noMatch') : t('common.empty') }}
        pagination={pagination(list.data?.total ?? 0, (total) => t('users.total', { count: total }))}
      />
      <CreateUserModal
        open={creating}
        callerRole={caller.role}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          void message.success(t('users.done.create'));
          void invalidate();
        }}
      />
      <EditUserModal
        open={editing.open}
        user={editing.user}
        onClose={() => setEditing((current) => ({ ...current, open: false }))}
        onDone={() => {
          setEditing((current) => ({ ...current, open: false }));
          void message.success(t('users.done.edit'));
          void invalidate();
        }}
      />
    </Space>
  );
}
