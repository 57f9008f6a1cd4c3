import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Segmented, Space, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { DASHBOARD_WINDOWS, fetchDashboard, type DashboardWindow } from '../../api/dashboard.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { formatTime } from '../../components/time.js';
import { BreakdownTables } from './BreakdownTables.js';
import { chartPoints } from './format.js';
import { HealthTables } from './HealthTables.js';
import { SeriesCharts } from './SeriesCharts.js';
import { TopTables } from './TopTables.js';
import { TotalsCards } from './TotalsCards.js';

const REFRESH_MS = 30_000;

/** The admin overview of one window: totals, trends, breakdowns, spenders and health. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { isAdmin } = useAuth();
  const [span, setSpan] = useState<DashboardWindow>('today');
  const query = useQuery({
    queryKey: ['dashboard', span],
    queryFn: () => fetchDashboard(span),
    enabled: isAdmin,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const points = useMemo(() => (data ? chartPoints(data.series, data.bucket) : []), [data]);
  if (!isAdmin) return <Navigate to="/" replace />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <Space wrap>
          {query.dataUpdatedAt > 0 && (
            <Typography.Text type="secondary">
              {t('dashboard.updatedAt', { time: formatTime(Math.floor(query.dataUpdatedAt / 1000)) })}
            </Typography.Text>
          )}
          <Segmented<DashboardWindow>
            data-testid="dashboard-window"
            value={span}
            onChange={setSpan}
            options={DASHBOARD_WINDOWS.map((value) => ({ value, label: t(`dashboard.windows.${value}`) }))}
          />
          <Button icon={<ReloadOutlined />} loading={query.isFetching} onClick={() => void query.refetch()}>
            {t('common.actions.refresh')}
          </Button>
        </Space>
      </Flex>

      {query.isError && (
        <Alert
          type="error"
          showIcon
          title={t('dashboard.loadFailed')}
          description={errorMessage(query.error, t)}
          action={
            <Button size="small" onClick={() => void query.refetch()}>
              {t('common.actions.refresh')}
            </Button>
          }
        />
      )}

      {!data ? (
        query.isPending && (
          <Flex justify="center" style={{ padding: 64 }}>
            <Spin size="large" />
          </Flex>
        )
      ) : (
        <Spin spinning={query.isPlaceholderData}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <TotalsCards totals={data.totals} />
            {data.totals.requests === 0 ? (
              <Card size="small">
                <Empty description={t('dashboard.noCalls')}>
                  <Link to="/tokens">
                    <Button type="primary">{t('dashboard.createToken')}</Button>
                  </Link>
                </Empty>
              </Card>
            ) : (
              <>
                <SeriesCharts points={points} />
                <BreakdownTables providers={data.by_provider} models={data.by_model} />
                <TopTables tokens={data.top_tokens} users={data.top_users} />
              </>
            )}
            <HealthTables balances={data.provider_balances} failing={data.failing_routes} />
          </Space>
        </Spin>
      )}
    </Space>
  );
}
