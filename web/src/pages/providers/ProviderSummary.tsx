import { Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Provider } from '../../api/providers.js';
import { formatTime } from '../../components/time.js';
import { BalanceCell, CheckinCell, LastSyncCell, StatusTag } from './ProviderCells.js';

/** The provider's settings and state, as a description list. */
export function ProviderSummary({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const text = (key: string) => t(`providers.detail.${key}`);
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2, xl: 3 }}
      items={[
        {
          key: 'base_url',
          label: text('baseUrl'),
          children: <Typography.Text copyable>{provider.base_url}</Typography.Text>,
        },
        { key: 'user_id', label: text('userId'), children: provider.user_id },
        { key: 'user_group', label: text('userGroup'), children: provider.user_group || '—' },
        { key: 'status', label: text('status'), children: <StatusTag status={provider.status} /> },
        { key: 'priority', label: text('priority'), children: provider.priority },
        { key: 'weight', label: text('weight'), children: provider.weight },
        { key: 'balance', label: text('balance'), children: <BalanceCell provider={provider} /> },
        {
          key: 'token',
          label: text('accessToken'),
          children: provider.has_access_token ? (
            <Tag color="green">{text('tokenSet')}</Tag>
          ) : (
            <Tag color="red">{text('tokenMissing')}</Tag>
          ),
        },
        { key: 'sync', label: text('lastSync'), children: <LastSyncCell provider={provider} /> },
        { key: 'checkin', label: text('checkin'), children: <CheckinCell provider={provider} /> },
        { key: 'created', label: text('createdAt'), children: formatTime(provider.created_at) },
        { key: 'updated', label: text('updatedAt'), children: formatTime(provider.updated_at) },
        { key: 'remark', label: text('remark'), span: 'filled', children: provider.remark || '—' },
      ]}
    />
  );
}
