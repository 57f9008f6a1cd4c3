import { Card, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  Area,
  AreaChart,
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartPoint } from './format.js';

const HEIGHT = 260;
const COLORS = { successes: '#52c41a', errors: '#ff4d4f', tokens: '#1677ff', cost: '#fa8c16' };

/** The tooltip's title: the bucket's whole span, not just its axis label. */
const rangeOf = (_label: unknown, payload: ReadonlyArray<{ payload?: unknown }> | undefined) => {
  const point = payload?.[0]?.payload as ChartPoint | undefined;
  return point?.range ?? '';
};

/** Requests (stacked successes and errors) and tokens with cost, per bucket of the window. */
export function SeriesCharts({ points }: { points: ChartPoint[] }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.charts.requests')}>
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <AreaChart data={points} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" minTickGap={16} />
              <YAxis allowDecimals={false} width={48} />
              <Tooltip labelFormatter={rangeOf} />
              <Legend />
              <Area
                type="monotone"
                dataKey="successes"
                name={t('dashboard.charts.successes')}
                stackId="requests"
                stroke={COLORS.successes}
                fill={COLORS.successes}
                fillOpacity={0.25}
                isAnimationActive={false}
              />
              <Area
                type="monotone"
                dataKey="errors"
                name={t('dashboard.charts.errors')}
                stackId="requests"
                stroke={COLORS.errors}
                fill={COLORS.errors}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.charts.usage')}>
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <ComposedChart data={points} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" minTickGap={16} />
              <YAxis yAxisId="tokens" allowDecimals={false} width={64} />
              <YAxis
                yAxisId="cost"
                orientation="right"
                width={80}
                tickFormatter={(v: number) => `$${Number(v.toPrecision(2))}`}
              />
              <Tooltip
                labelFormatter={rangeOf}
                formatter={(value, name) =>
                  name === t('dashboard.charts.cost')
                    ? `$${Number(value).toFixed(4)}`
                    : Number(value).toLocaleString('en-US')
                }
              />
              <Legend />
              <Bar
                yAxisId="tokens"
                dataKey="tokens"
                name={t('dashboard.charts.tokens')}
                fill={COLORS.tokens}
                isAnimationActive={false}
              />
              <Line
                yAxisId="cost"
                type="monotone"
                dataKey="cost_usd"
                name={t('dashboard.charts.cost')}
                stroke={COLORS.cost}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </Card>
      </Col>
    </Row>
  );
}
