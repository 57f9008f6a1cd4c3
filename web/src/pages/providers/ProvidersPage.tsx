import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Input, Result, Space, Table, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import { providerKeys, providersApi, routeKeys, type Provider } from '../../api/providers.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { ProviderFormModal } from './ProviderFormModal.js';
import { useProviderColumns } from './providerColumns.js';
import { useProviderActions } from './useProviderActions.js';

/** How long after adding a provider the list is re-read, to show the result of its first sync. */
const FIRST_SYNC_POLL_MS = 2000;
const FIRST_SYNC_POLL_FOR_MS = 30_000;

export default function ProvidersPage() {
  const { t } = useTranslation();
  const { isAdmin } = useAuth();
  if (!isAdmin) return <Result status="403" title={t('providers.forbidden')} />;
  return <ProvidersList />;
}

function ProvidersList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { page, pageSize, setPage, pagination } = useServerPaging();
  const [keyword, setKeyword] = useState('');
  const [editing, setEditing] = useState<Provider | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  /** A provider just added, until its first sync report shows up (or we give up waiting). */
  const [awaiting, setAwaiting] = useState<{ id: number; until: number } | null>(null);
  const actions = useProviderActions();

  const list = useQuery({
    queryKey: providerKeys.list(page, pageSize, keyword),
    queryFn: () => providersApi.list(page, pageSize, keyword),
    placeholderData: keepPreviousData,
    refetchInterval: awaiting ? FIRST_SYNC_POLL_MS : false,
  });

  useEffect(() => {
    if (!awaiting) return;
    const fresh = list.data?.items.find((item) => item.id === awaiting.id);
    if ((fresh && fresh.last_sync_result !== null) || Date.now() > awaiting.until) setAwaiting(null);
  }, [awaiting, list.data]);

  const remove = useMutation({
    mutationFn: (provider: Provider) => providersApi.remove(provider.id),
    onSuccess: (_, provider) => {
      void message.success(t('providers.deleted', { name: provider.name }));
      if (list.data && list.data.items.length === 1 && page > 1) setPage(page - 1);
      void client.invalidateQueries({ queryKey: providerKeys.all });
      void client.invalidateQueries({ queryKey: routeKeys.all });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const columns = useProviderColumns({
    actions,
    deleting: remove.isPending ? remove.variables?.id : undefined,
    onEdit: (provider) => {
      setEditing(provider);
      setFormOpen(true);
    },
    onDelete: (provider) => remove.mutateAsync(provider).catch(() => undefined),
  });

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };

  const empty = keyword ? (
    <Empty description={t('providers.emptySearch', { keyword })} />
  ) : (
    <Empty description={t('providers.empty')}>
      <Button type="primary" icon={<PlusOutlined />} onClick={openCreate}>
        {t('providers.add')}
      </Button>
    </Empty>
  );

  return (
    <>
      <Flex justify="space-between" align="start" wrap gap={16} style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('providers.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('providers.subtitle')}</Typography.Text>
        </div>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('providers.searchPlaceholder')}
            onSearch={(value) => {
              setKeyword(value.trim());
              setPage(1);
            }}
            style={{ width: 280 }}
            data-testid="provider-search"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
            {t('common.actions.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="provider-add">
            {t('providers.add')}
          </Button>
        </Space>
      </Flex>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error, t)} style={{ marginBottom: 16 }} />}
      <Table<Provider>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        size="middle"
        scroll={{ x: 1180 }}
        locale={{ emptyText: list.isPending ? ' ' : empty }}
        onRow={(provider) => ({ 'data-testid': `provider-row-${provider.name}` }) as HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0, (total) => t('providers.total', { count: total }))}
      />
      <ProviderFormModal
        open={formOpen}
        provider={editing}
        onClose={() => setFormOpen(false)}
        onCreated={(created) => setAwaiting({ id: created.id, until: Date.now() + FIRST_SYNC_POLL_FOR_MS })}
      />
      {actions.reportModal}
    </>
  );
}
