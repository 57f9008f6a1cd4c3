import { Card, Col, Empty, Row, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ModelStat, ProviderStat } from '../../api/dashboard.js';
import { formatUsd } from '../../components/time.js';
import { formatCount, formatMs, percent, rateColor } from './format.js';

const num = (value: number) => formatCount(value);

/** Traffic, errors, spend and speed per provider (attempts) and per model (client requests). */
export function BreakdownTables({ providers, models }: { providers: ProviderStat[]; models: ModelStat[] }) {
  const { t } = useTranslation();
  const providerColumns: TableColumnsType<ProviderStat> = [
    { title: t('dashboard.providers.name'), dataIndex: 'provider_name' },
    { title: t('dashboard.providers.attempts'), dataIndex: 'attempts', align: 'right', render: num },
    { title: t('dashboard.providers.errors'), dataIndex: 'errors', align: 'right', render: num },
    {
      title: t('dashboard.providers.errorRate'),
      dataIndex: 'error_rate',
      align: 'right',
      render: (rate: number, row) => (
        <Typography.Text type={rateColor(1 - rate, row.attempts)}>{percent(rate, row.attempts)}</Typography.Text>
      ),
    },
    { title: t('dashboard.providers.tokens'), dataIndex: 'tokens', align: 'right', render: num },
    {
      title: t('dashboard.providers.cost'),
      dataIndex: 'cost_usd',
      align: 'right',
      render: (v: number) => formatUsd(v),
    },
    { title: t('dashboard.providers.latency'), dataIndex: 'avg_latency_ms', align: 'right', render: formatMs },
  ];
  const modelColumns: TableColumnsType<ModelStat> = [
    { title: t('dashboard.models.name'), dataIndex: 'model_name' },
    { title: t('dashboard.models.requests'), dataIndex: 'requests', align: 'right', render: num },
    {
      title: t('dashboard.models.errors'),
      dataIndex: 'errors',
      align: 'right',
      render: (errors: number) => (
        <Typography.Text type={errors > 0 ? 'danger' : undefined}>{num(errors)}</Typography.Text>
      ),
    },
    { title: t('dashboard.models.tokens'), dataIndex: 'tokens', align: 'right', render: num },
    { title: t('dashboard.models.cost'), dataIndex: 'cost_usd', align: 'right', render: (v: number) => formatUsd(v) },
    { title: t('dashboard.models.latency'), dataIndex: 'avg_latency_ms', align: 'right', render: formatMs },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.providers.title')}>
          <Table
            size="small"
            rowKey="provider_id"
            columns={providerColumns}
            dataSource={providers}
            pagination={providers.length > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{ emptyText: <Empty description={t('dashboard.providers.empty')} /> }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.models.title')}>
          <Table
            size="small"
            rowKey="model_name"
            columns={modelColumns}
            dataSource={models}
            pagination={models.length > 10 ? { pageSize: 10, size: 'small' } : false}
            locale={{ emptyText: <Empty description={t('dashboard.models.empty')} /> }}
          />
        </Card>
      </Col>
    </Row>
  );
}
