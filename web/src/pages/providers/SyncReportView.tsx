import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Space, Table, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncReport, SyncStep } from '../../api/providers.js';
import { formatTime } from '../../components/time.js';
import { orderedCounts, summariseSyncReport } from './syncReport.js';

/** A finished sync: overall outcome, then each step with its counts or its error. */
export function SyncReportView({ report }: { report: SyncReport }) {
  const { t } = useTranslation();
  const summary = summariseSyncReport(report);
  return (
    <div data-testid="provider-sync-report" data-ok={summary.state === 'ok'}>
      <Alert
        type={summary.state === 'ok' ? 'success' : 'warning'}
        showIcon
        title={summary.state === 'ok' ? t('providers.sync.finishedOk') : t('providers.sync.finishedErrors')}
        description={t('providers.sync.period', {
          start: formatTime(report.started_at),
          end: formatTime(report.finished_at),
        })}
        style={{ marginBottom: 12 }}
      />
      <Table<SyncStep>
        size="small"
        bordered
        pagination={false}
        rowKey="step"
        dataSource={report.steps}
        onRow={(step) => ({ 'data-testid': `provider-sync-step-${step.step}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('providers.sync.step'),
            key: 'step',
            width: 150,
            render: (_, step) => (
              <Space>
                {step.ok ? (
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                ) : (
                  <CloseCircleFilled style={{ color: '#ff4d4f' }} />
                )}
                <Typography.Text strong>{t(`providers.sync.steps.${step.step}`, step.step)}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('providers.sync.result'),
            key: 'result',
            render: (_, step) => (
              <Space orientation="vertical" size={2}>
                {(step.ok || Object.keys(step.counts ?? {}).length > 0) && <CountsLine counts={step.counts} />}
                {step.error && <Typography.Text type="danger">{step.error}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('providers.sync.time'),
            key: 'ms',
            width: 90,
            align: 'right',
            render: (_, step) => t('providers.sync.duration', { ms: step.ms }),
          },
        ]}
      />
    </div>
  );
}

function CountsLine({ counts }: { counts: Record<string, number> }) {
  const { t } = useTranslation();
  const entries = orderedCounts(counts);
  if (entries.length === 0) return <Typography.Text type="secondary">{t('providers.sync.noCounts')}</Typography.Text>;
  return (
    <Typography.Text type="secondary">
      {entries.map(([key, value]) => `${t(`providers.sync.counts.${key}`, key)} ${value.toLocaleString()}`).join(' · ')}
    </Typography.Text>
  );
}
