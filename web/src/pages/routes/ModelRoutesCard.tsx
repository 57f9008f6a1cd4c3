import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { routeKeys, routesApi } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { RouteTierTable } from './RouteTierTable.js';
import { groupIntoTiers } from './tiers.js';

/** One model and its candidate routes, tier by tier from the highest priority. */
export function ModelRoutesCard({ model }: { model: string }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: routeKeys.byModel(model), queryFn: () => routesApi.byModel(model) });
  const routes = query.data?.items ?? [];
  const tiers = groupIntoTiers(routes);

  return (
    <Card
      size="small"
      data-testid={`routes-model-${model}`}
      loading={query.isPending}
      title={
        <Typography.Text code copyable={{ text: model }}>
          {model}
        </Typography.Text>
      }
      extra={
        query.data && (
          <Space size={4}>
            <Tag>{t('routes.routeCount', { count: query.data.total })}</Tag>
            <Tag>{t('routes.tierCount', { count: tiers.length })}</Tag>
          </Space>
        )
      }
    >
      {query.isError && <Alert type="error" showIcon title={errorMessage(query.error, t)} />}
      {query.isSuccess && routes.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('routes.noRoutes')} />
      )}
      <Flex vertical gap={12}>
        {tiers.map((tier) => (
          <div key={tier.priority} data-testid={`routes-tier-${model}-${tier.priority}`}>
            <Space style={{ marginBottom: 6 }}>
              <Typography.Text strong>{t('routes.tier', { priority: tier.priority })}</Typography.Text>
              <Typography.Text type={tier.usable ? 'secondary' : 'warning'}>
                {t('routes.tierUsable', { usable: tier.usable, total: tier.routes.length })}
              </Typography.Text>
            </Space>
            <RouteTierTable model={model} routes={tier.routes} />
          </div>
        ))}
      </Flex>
      {query.data && query.data.total > routes.length && (
        <Typography.Text type="secondary">
          {t('routes.truncated', { shown: routes.length, total: query.data.total })}
        </Typography.Text>
      )}
    </Card>
  );
}
