import { Card, Flex, Statistic, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LogSummary } from '../../api/logs.js';
import { formatUsd } from '../../components/time.js';
import { formatCount, formatMs } from '../dashboard/format.js';

/** The totals over everything the filter matches, not just the page shown. */
export function LogSummaryCards({ summary }: { summary: LogSummary }) {
  const { t } = useTranslation();
  const averagesHint = t('logs.summary.averagesHint');
  const cards: Array<{ key: string; title: string; value: string; color?: string; hint?: string }> = [
    { key: 'requests', title: t('logs.summary.requests'), value: formatCount(summary.requests) },
    {
      key: 'successes',
      title: t('logs.summary.successes'),
      value: formatCount(summary.successes),
      color: summary.successes > 0 ? '#389e0d' : undefined,
    },
    {
      key: 'errors',
      title: t('logs.summary.errors'),
      value: formatCount(summary.errors),
      color: summary.errors > 0 ? '#cf1322' : undefined,
    },
    { key: 'prompt', title: t('logs.summary.promptTokens'), value: formatCount(summary.prompt_tokens) },
    { key: 'completion', title: t('logs.summary.completionTokens'), value: formatCount(summary.completion_tokens) },
    { key: 'cost', title: t('logs.summary.cost'), value: formatUsd(summary.cost_usd, 6) },
    { key: 'latency', title: t('logs.summary.latency'), value: formatMs(summary.avg_latency_ms), hint: averagesHint },
    {
      key: 'firstByte',
      title: t('logs.summary.firstByte'),
      value: formatMs(summary.avg_first_byte_ms),
      hint: averagesHint,
    },
  ];
  return (
    <Card size="small">
      <Flex wrap gap="12px 40px">
        {cards.map((card) => (
          <Tooltip key={card.key} title={card.hint}>
            <Statistic
              title={card.title}
              valueRender={() => card.value}
              styles={card.color ? { content: { color: card.color } } : undefined}
            />
          </Tooltip>
        ))}
      </Flex>
    </Card>
  );
}
