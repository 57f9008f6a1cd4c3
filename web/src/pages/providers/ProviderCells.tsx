import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Provider } from '../../api/providers.js';
import { formatTime, formatUsd } from '../../components/time.js';
import { checkinTone, summariseSyncReport, TONE_COLOR } from './syncReport.js';

export function StatusTag({ status }: { status: number }) {
  const { t } = useTranslation();
  return status === 1 ? (
    <Tag color="green">{t('common.status.enabled')}</Tag>
  ) : (
    <Tag>{t('common.status.disabled')}</Tag>
  );
}

export function BalanceCell({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  if (provider.balance_usd === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={t('providers.balanceUpdatedAt', { time: formatTime(provider.balance_updated_at) })}>
      <span>{formatUsd(provider.balance_usd, 2)}</span>
    </Tooltip>
  );
}

/** When the provider last synced, and whether every step worked; the errors are in the tooltip. */
export function LastSyncCell({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const summary = summariseSyncReport(provider.last_sync_result);
  if (summary.state === 'never') return <Typography.Text type="secondary">{t('providers.sync.never')}</Typography.Text>;
  const stepNames = summary.failedSteps.map((step) => t(`providers.sync.steps.${step}`, step)).join(', ');
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text style={{ whiteSpace: 'nowrap' }}>{formatTime(provider.last_synced_at)}</Typography.Text>
      {summary.state === 'ok' ? (
        <Tag color="green" data-testid="provider-sync-state">
          {t('providers.sync.ok')}
        </Tag>
      ) : (
        <Tooltip
          title={summary.errors.map(({ step, error }) => (
            <div key={step}>
              {t(`providers.sync.steps.${step}`, step)}: {error}
            </div>
          ))}
        >
          <Tag color="red" data-testid="provider-sync-state">
            {t('providers.sync.failedSteps', { steps: stepNames })}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** Whether daily check-in is on, and how the latest one went. */
export function CheckinCell({ provider }: { provider: Provider }) {
  const { t } = useTranslation();
  const result = provider.last_checkin_result;
  const tone = checkinTone(result);
  return (
    <Space orientation="vertical" size={2}>
      {provider.checkin_enabled ? (
        <Tag color="blue">{t('providers.checkin.on')}</Tag>
      ) : (
        <Tag>{t('providers.checkin.off')}</Tag>
      )}
      {result && tone ? (
        <Tooltip
          title={
            <>
              <div>{result.message}</div>
              <div>{t('providers.checkin.lastAt', { time: formatTime(result.at) })}</div>
            </>
          }
        >
          <Tag color={TONE_COLOR[tone]}>{t(`providers.checkin.status.${result.status}`, result.status)}</Tag>
        </Tooltip>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('providers.checkin.none')}
        </Typography.Text>
      )}
    </Space>
  );
}
