import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { providerKeys, providersApi } from '../../api/providers.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { PricingTab } from './PricingTab.js';
import { ProviderFormModal } from './ProviderFormModal.js';
import { ProviderRoutesTab } from './ProviderRoutesTab.js';
import { ProviderSummary } from './ProviderSummary.js';
import { TokensTab } from './TokensTab.js';
import { useProviderActions } from './useProviderActions.js';

export default function ProviderDetailPage() {
  const { t } = useTranslation();
  const { isAdmin } = useAuth();
  const { id } = useParams();
  const providerId = Number(id);
  if (!isAdmin) return <Result status="403" title={t('providers.forbidden')} />;
  if (!Number.isInteger(providerId) || providerId < 1) return <NotFound />;
  return <ProviderDetail id={providerId} />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('providers.detail.notFound')}
      extra={
        <Link to="/providers">
          <Button type="primary">{t('providers.detail.back')}</Button>
        </Link>
      }
    />
  );
}

function ProviderDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const actions = useProviderActions();
  const [editing, setEditing] = useState(false);
  const query = useQuery({ queryKey: providerKeys.one(id), queryFn: () => providersApi.get(id) });

  if (query.isPending) return <Skeleton active />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
    return <Alert type="error" showIcon title={errorMessage(query.error, t)} />;
  }
  const provider = query.data;
  const syncing = actions.syncing.has(provider.id);

  return (
    <>
      <Link to="/providers">
        <ArrowLeftOutlined /> {t('providers.detail.back')}
      </Link>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="provider-detail-name">
          {provider.name}
        </Typography.Title>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
            {t('common.actions.refresh')}
          </Button>
          <Button type="primary" loading={syncing} onClick={() => actions.sync(provider)} data-testid="provider-sync">
            {syncing ? t('providers.sync.running') : t('providers.sync.run')}
          </Button>
          <Button loading={actions.checkingIn.has(provider.id)} onClick={() => actions.checkin(provider)}>
            {t('providers.checkin.run')}
          </Button>
          <Button onClick={() => setEditing(true)}>{t('common.actions.edit')}</Button>
        </Space>
      </Flex>
      <ProviderSummary provider={provider} />
      <Tabs
        style={{ marginTop: 16 }}
        destroyOnHidden
        items={[
          {
            key: 'tokens',
            label: t('providers.detail.tabs.tokens'),
            children: <TokensTab provider={provider} />,
          },
          {
            key: 'pricing',
            label: t('providers.detail.tabs.pricing'),
            children: <PricingTab providerId={provider.id} />,
          },
          {
            key: 'routes',
            label: t('providers.detail.tabs.routes'),
            children: <ProviderRoutesTab providerId={provider.id} />,
          },
        ]}
      />
      <ProviderFormModal open={editing} provider={provider} onClose={() => setEditing(false)} />
      {actions.reportModal}
    </>
  );
}
