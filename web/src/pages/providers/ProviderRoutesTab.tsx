import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Empty, Table, Tag, Tooltip, Typography } from 'antd';

import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import { Link } from 'react-router';
import { routeKeys, routesApi, type ModelRoute } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { formatShare } from '../routes/tiers.js';

/** The routes built from this provider's tokens; tuning them is done on the Routes page. */
export function ProviderRoutesTab({ providerId }: { providerId: number }) {
  const { t } = useTranslation();
  const { page, pageSize, pagination } = useServerPaging();
  const query = useQuery({
    queryKey: routeKeys.byProvider(providerId, page, pageSize),
    queryFn: () => routesApi.byProvider(providerId, page, pageSize),
    placeholderData: keepPreviousData,
  });
  const text = (key: string) => t(`routes.${key}`);

  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error, t)} />;
  return (
    <Table<ModelRoute>
      rowKey="id"
      size="small"
      loading={query.isPending}
      dataSource={query.data?.items ?? []}
      locale={{ emptyText: <Empty description={text('providerEmpty')} /> }}
      pagination={{ ...pagination(query.data?.total ?? 0), hideOnSinglePage: true }}
      columns={[
        {
          title: text('columns.model'),
          dataIndex: 'model_name',
          render: (model: string) => (
            <Tooltip title={text('viewOnRoutes')}>
              <Link to={`/routes?q=${encodeURIComponent(model)}`}>{model}</Link>
            </Tooltip>
          ),
        },
        {
          title: text('columns.token'),
          key: 'token',
          render: (_, route) => (
            <>
              {route.token_name} <Tag>{route.token_group || text('defaultGroup')}</Tag>
            </>
          ),
        },
        { title: text('columns.priority'), dataIndex: 'priority', align: 'right' },
        { title: text('columns.weight'), dataIndex: 'weight', align: 'right' },
        {
          title: text('columns.share'),
          dataIndex: 'share',
          align: 'right',
          render: (share: number) => formatShare(share),
        },
        {
          title: text('columns.enabled'),
          key: 'state',
          render: (_, route) => (
            <>
              {route.enabled ? (
                <Tag color="green">{t('common.status.enabled')}</Tag>
              ) : (
                <Tag>{t('common.status.disabled')}</Tag>
              )}
              {route.overridden && (
                <Tooltip title={text('overriddenHelp')}>
                  <Tag color="gold">{text('overridden')}</Tag>
                </Tooltip>
              )}
              {route.enabled && route.share === 0 && (
                <Tooltip title={text('unusableHelp')}>
                  <Typography.Text type="warning">{text('unusable')}</Typography.Text>
                </Tooltip>
              )}
            </>
          ),
        },
      ]}
    />
  );
}
