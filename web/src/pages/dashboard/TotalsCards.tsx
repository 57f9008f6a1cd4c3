import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardTotals } from '../../api/dashboard.js';
import { formatUsd } from '../../components/time.js';
import { formatCount, formatMs, percent, rateColor } from './format.js';

function StatCard({ title, value, hint }: { title: string; value: ReactNode; hint: ReactNode }) {
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Statistic title={title} valueRender={() => value} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {hint}
      </Typography.Text>
    </Card>
  );
}

/** The window's headline numbers. */
export function TotalsCards({ totals }: { totals: DashboardTotals }) {
  const { t } = useTranslation();
  const rateType = rateColor(totals.success_rate, totals.requests);
  const cards = [
    {
      key: 'requests',
      title: t('dashboard.totals.requests'),
      value: <span data-testid="dashboard-total-requests">{String(totals.requests)}</span>,
      hint: '\u00a0',
    },
    {
      key: 'rate',
      title: t('dashboard.totals.successRate'),
      value: (
        <Typography.Text type={rateType} style={{ fontSize: 'inherit' }}>
          {percent(totals.success_rate, totals.requests)}
        </Typography.Text>
      ),
      hint: t('dashboard.totals.successRateHint', { successes: totals.successes, errors: totals.errors }),
    },
    {
      key: 'tokens',
      title: t('dashboard.totals.tokens'),
      value: formatCount(totals.total_tokens),
      hint: t('dashboard.totals.tokensHint', {
        prompt: formatCount(totals.prompt_tokens),
        completion: formatCount(totals.completion_tokens),
      }),
    },
    {
      key: 'cost',
      title: t('dashboard.totals.cost'),
      value: formatUsd(totals.cost_usd),
      hint: '\u00a0',
    },
    {
      key: 'latency',
      title: t('dashboard.totals.latency'),
      value: formatMs(totals.avg_latency_ms),
      hint: t('dashboard.totals.latencyHint'),
    },
    {
      key: 'failovers',
      title: t('dashboard.totals.failovers'),
      value: formatCount(totals.failovers),
      hint: t('dashboard.totals.failoversHint', { attempts: formatCount(totals.attempts) }),
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      {cards.map((card) => (
        <Col key={card.key} xs={12} md={8} xl={4}>
          <StatCard title={card.title} value={card.value} hint={card.hint} />
        </Col>
      ))}
    </Row>
  );
}
