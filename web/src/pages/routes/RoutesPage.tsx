import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Input, Pagination, Result, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import { Link, useSearchParams } from 'react-router';
import { providerKeys, routeKeys, routesApi, type RouteBuildCounts } from '../../api/providers.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { ModelRoutesCard } from './ModelRoutesCard.js';
import { filterModels } from './tiers.js';

export default function RoutesPage() {
  const { t } = useTranslation();
  const { isAdmin } = useAuth();
  if (!isAdmin) return <Result status="403" title={t('routes.forbidden')} />;
  return <RoutesOverview />;
}

function RoutesOverview() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filter = params.get('q') ?? '';
  const { page, pageSize, setPage, onChange } = useServerPaging(10);
  const [rebuilt, setRebuilt] = useState<RouteBuildCounts | null>(null);

  const models = useQuery({ queryKey: routeKeys.models, queryFn: routesApi.models });
  const shown = useMemo(() => filterModels(models.data ?? [], filter), [models.data, filter]);
  const pageModels = shown.slice((page - 1) * pageSize, page * pageSize);

  const rebuild = useMutation({
    mutationFn: routesApi.rebuild,
    onSuccess: (counts) => {
      setRebuilt(counts);
      void client.invalidateQueries({ queryKey: routeKeys.all });
      void client.invalidateQueries({ queryKey: providerKeys.all });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const setFilter = (value: string) => {
    setParams(value ? { q: value } : {}, { replace: true });
    setPage(1);
  };

  return (
    <>
      <Flex justify="space-between" align="start" wrap gap={16} style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('routes.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('routes.subtitle')}</Typography.Text>
        </div>
        <Space wrap>
          <Input.Search
            allowClear
            defaultValue={filter}
            placeholder={t('routes.search')}
            onSearch={setFilter}
            onChange={(e) => e.target.value === '' && setFilter('')}
            style={{ width: 260 }}
            data-testid="routes-search"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void client.invalidateQueries({ queryKey: routeKeys.all })}>
            {t('common.actions.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<SyncOutlined />}
            loading={rebuild.isPending}
            onClick={() => rebuild.mutate()}
            data-testid="routes-rebuild"
          >
            {t('routes.rebuild')}
          </Button>
        </Space>
      </Flex>
      {rebuilt && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setRebuilt(null) }}
          title={t('routes.rebuildDone', { ...rebuilt })}
          style={{ marginBottom: 16 }}
          data-testid="routes-rebuild-result"
        />
      )}
      {models.isError && (
        <Alert type="error" showIcon title={errorMessage(models.error, t)} style={{ marginBottom: 16 }} />
      )}
      {models.isPending && <Skeleton active />}
      {models.isSuccess && shown.length === 0 && (
        <Empty
          description={filter ? t('routes.emptySearch', { keyword: filter }) : t('routes.empty')}
          style={{ marginTop: 48 }}
        >
          {!filter && (
            <Link to="/providers">
              <Button type="primary">{t('routes.goProviders')}</Button>
            </Link>
          )}
        </Empty>
      )}
      <Flex vertical gap={16}>
        {pageModels.map((model) => (
          <ModelRoutesCard key={model} model={model} />
        ))}
      </Flex>
      {shown.length > 0 && (
        <Pagination
          style={{ marginTop: 16, justifyContent: 'flex-end' }}
          current={page}
          pageSize={pageSize}
          total={shown.length}
          showSizeChanger
          pageSizeOptions={[5, 10, 20, 50]}
          showTotal={(total) => t('routes.modelCount', { count: total })}
          onChange={onChange}
        />
      )}
    </>
  );
}
