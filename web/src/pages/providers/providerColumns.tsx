import { Button, Popconfirm, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Provider } from '../../api/providers.js';
import { BalanceCell, CheckinCell, LastSyncCell, StatusTag } from './ProviderCells.js';
import type { useProviderActions } from './useProviderActions.js';

interface Options {
  actions: ReturnType<typeof useProviderActions>;
  deleting: number | undefined;
  onEdit: (provider: Provider) => void;
  onDelete: (provider: Provider) => Promise<unknown>;
}

export function useProviderColumns({ actions, deleting, onEdit, onDelete }: Options): ColumnsType<Provider> {
  const { t } = useTranslation();
  return [
    {
      title: t('providers.columns.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 140,
      render: (_, provider) => (
        <Link to={`/providers/${provider.id}`} data-testid={`provider-link-${provider.name}`}>
          {provider.name}
        </Link>
      ),
    },
    {
      title: t('providers.columns.baseUrl'),
      dataIndex: 'base_url',
      ellipsis: true,
      render: (_, provider) => (
        <Typography.Text copyable={{ text: provider.base_url }} style={{ maxWidth: 240 }} ellipsis>
          {provider.base_url}
        </Typography.Text>
      ),
    },
    {
      title: t('providers.columns.status'),
      dataIndex: 'status',
      width: 80,
      render: (_, provider) => <StatusTag status={provider.status} />,
    },
    { title: t('providers.columns.priority'), dataIndex: 'priority', width: 75, align: 'right' },
    { title: t('providers.columns.weight'), dataIndex: 'weight', width: 70, align: 'right' },
    {
      title: t('providers.columns.balance'),
      dataIndex: 'balance_usd',
      width: 105,
      align: 'right',
      render: (_, provider) => <BalanceCell provider={provider} />,
    },
    {
      title: t('providers.columns.lastSync'),
      dataIndex: 'last_synced_at',
      width: 165,
      render: (_, provider) => <LastSyncCell provider={provider} />,
    },
    {
      title: t('providers.columns.checkin'),
      dataIndex: 'checkin_enabled',
      width: 120,
      render: (_, provider) => <CheckinCell provider={provider} />,
    },
    {
      title: t('providers.columns.actions'),
      key: 'actions',
      fixed: 'right',
      width: 235,
      render: (_, provider) => {
        const syncing = actions.syncing.has(provider.id);
        return (
          <Space size={0}>
            <Button
              size="small"
              type="link"
              loading={syncing}
              onClick={() => actions.sync(provider)}
              data-testid="provider-sync"
              data-running={syncing}
            >
              {syncing ? t('providers.sync.running') : t('providers.sync.run')}
            </Button>
            <Button
              size="small"
              type="link"
              loading={actions.checkingIn.has(provider.id)}
              onClick={() => actions.checkin(provider)}
              data-testid="provider-checkin"
            >
              {t('providers.checkin.run')}
            </Button>
            <Button size="small" type="link" onClick={() => onEdit(provider)} data-testid="provider-edit">
              {t('common.actions.edit')}
            </Button>
            <Popconfirm
              title={t('providers.deleteTitle', { name: provider.name })}
              description={<div style={{ maxWidth: 320 }}>{t('providers.deleteConfirm')}</div>}
              okText={t('common.actions.delete')}
              cancelText={t('common.actions.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => void onDelete(provider)}
            >
              <Button size="small" type="link" danger loading={deleting === provider.id} data-testid="provider-delete">
                {t('common.actions.delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];
}
