import { Button, Card, Col, Empty, Row, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FailingRoute, ProviderBalance } from '../../api/dashboard.js';
import { formatTime } from '../../components/time.js';
import { logsLink } from '../logs/filters.js';
import { BALANCE_COLORS, balanceState, formatCount } from './format.js';

/** Provider balances with their state, and the routes failing right now. */
export function HealthTables({ balances, failing }: { balances: ProviderBalance[]; failing: FailingRoute[] }) {
  const { t } = useTranslation();
  const balanceColumns: TableColumnsType<ProviderBalance> = [
    {
      title: t('dashboard.balances.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (name: string, row) => <Link to={`/providers/${row.id}`}>{name}</Link>,
    },
    {
      title: t('dashboard.balances.balance'),
      dataIndex: 'balance_usd',
      align: 'right',
      render: (value: number | null) => (value === null ? '—' : `$${value.toFixed(2)}`),
    },
    {
      title: t('dashboard.balances.status'),
      key: 'state',
      render: (_: unknown, row) => {
        const state = balanceState(row);
        return <Tag color={BALANCE_COLORS[state]}>{t(`dashboard.balances.states.${state}`)}</Tag>;
      },
    },
    {
      title: t('dashboard.balances.updatedAt'),
      dataIndex: 'balance_updated_at',
      render: (at: number) => formatTime(at, t('common.never')),
    },
  ];
  const failingColumns: TableColumnsType<FailingRoute> = [
    { title: t('dashboard.failing.model'), dataIndex: 'model_name', ellipsis: true },
    { title: t('dashboard.failing.provider'), dataIndex: 'provider_name', ellipsis: true },
    {
      title: t('dashboard.failing.lastError'),
      dataIndex: 'last_error',
      ellipsis: { showTitle: false },
      render: (error: string) => (
        <Tooltip title={error}>
          <Typography.Text type="danger">{error || '—'}</Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('dashboard.failing.when'),
      dataIndex: 'last_failed_at',
      width: 170,
      render: (at: number) => formatTime(at),
    },
    {
      title: t('dashboard.failing.count'),
      dataIndex: 'recent_failures',
      align: 'right',
      width: 90,
      render: formatCount,
    },
    {
      // The log lists client requests by their deciding attempt, which a failover made on another
      // provider; so the link filters by model only, and the drawer shows the failed attempts.
      key: 'logs',
      width: 90,
      render: (_: unknown, row) => (
        <Link to={logsLink({ model: row.model_name })}>{t('dashboard.failing.viewLogs')}</Link>
      ),
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <Card size="small" title={t('dashboard.balances.title')}>
          <Table
            size="small"
            rowKey="id"
            columns={balanceColumns}
            dataSource={balances}
            pagination={balances.length > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{
              emptyText: (
                <Empty description={t('dashboard.balances.empty')}>
                  <Link to="/providers">
                    <Button type="primary">{t('dashboard.balances.addProvider')}</Button>
                  </Link>
                </Empty>
              ),
            }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={t('dashboard.failing.title')}
          extra={<Typography.Text type="secondary">{t('dashboard.failing.hint')}</Typography.Text>}
        >
          <Table
            size="small"
            rowKey="route_id"
            columns={failingColumns}
            dataSource={failing}
            pagination={failing.length > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.failing.empty')} />,
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}
