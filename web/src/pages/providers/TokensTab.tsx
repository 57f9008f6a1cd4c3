import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { providerKeys, providersApi, type Provider, type ProviderToken } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { formatTime } from '../../components/time.js';
import { quotaPerUnit, quotaText } from './syncReport.js';

const STATUS_COLOR: Record<number, string> = { 1: 'green', 2: 'default', 3: 'orange', 4: 'red' };

/** The provider's upstream tokens as last synced; keys come masked from the server. */
export function TokensTab({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: providerKeys.tokens(provider.id),
    queryFn: () => providersApi.tokens(provider.id),
  });
  const perUnit = quotaPerUnit(provider.last_sync_result);
  const text = (key: string, options?: Record<string, unknown>) => t(`providers.tokens.${key}`, options);

  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error, t)} />;
  return (
    <Table<ProviderToken>
      rowKey="id"
      size="small"
      loading={query.isPending}
      dataSource={query.data ?? []}
      scroll={{ x: 'max-content' }}
      pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={text('empty')} /> }}
      columns={[
        { title: text('name'), dataIndex: 'name' },
        {
          title: text('key'),
          dataIndex: 'key',
          render: (key: string) => (
            <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
              {key}
            </Typography.Text>
          ),
        },
        {
          title: text('group'),
          dataIndex: 'group_name',
          render: (group: string) =>
            group ? (
              <Tag>{group}</Tag>
            ) : (
              <Tag color="blue">{text('accountGroup', { group: provider.user_group || '—' })}</Tag>
            ),
        },
        {
          title: text('status'),
          dataIndex: 'status',
          render: (status: number) => (
            <Tag color={STATUS_COLOR[status] ?? 'default'}>
              {t(`providers.tokens.statuses.${status}`, { defaultValue: text('unknownStatus', { status }) })}
            </Tag>
          ),
        },
        {
          title: text('remainQuota'),
          dataIndex: 'remain_quota',
          align: 'right',
          render: (_, token) => (token.unlimited_quota ? text('unlimited') : quotaText(token.remain_quota, perUnit)),
        },
        {
          title: text('usedQuota'),
          dataIndex: 'used_quota',
          align: 'right',
          render: (used: number) => quotaText(used, perUnit),
        },
        {
          title: text('modelLimits'),
          dataIndex: 'model_limits',
          ellipsis: true,
          render: (_, token) =>
            token.model_limits_enabled && token.model_limits ? token.model_limits : text('noLimits'),
        },
        {
          title: text('expiry'),
          dataIndex: 'expired_time',
          render: (expiry: number) => (
            <span style={{ whiteSpace: 'nowrap' }}>
              {expiry === -1 || expiry === 0 ? text('never') : formatTime(expiry)}
            </span>
          ),
        },
        {
          title: text('lastSynced'),
          dataIndex: 'last_synced_at',
          render: (at: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at)}</span>,
        },
      ]}
    />
  );
}
