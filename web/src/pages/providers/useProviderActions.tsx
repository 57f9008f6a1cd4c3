import { useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providerKeys, providersApi, routeKeys, type Provider, type SyncReport } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { checkinTone } from './syncReport.js';
import { SyncReportView } from './SyncReportView.js';

const SYNC_KEY = ['provider', 'sync'] as const;
const CHECKIN_KEY = ['provider', 'checkin'] as const;

/** Ids of the providers whose mutation of this kind is still running (several rows may run at once). */
function usePendingIds(mutationKey: readonly string[]): Set<number> {
  const ids = useMutationState({
    filters: { mutationKey: [...mutationKey], status: 'pending' },
    select: (mutation) => (mutation.state.variables as Provider | undefined)?.id,
  });
  return new Set(ids.filter((id): id is number => typeof id === 'number'));
}

/** Sync and check-in for any provider, with their running state and the sync report dialog. */
export function useProviderActions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [finished, setFinished] = useState<{ provider: Provider; report: SyncReport } | null>(null);

  const refresh = () => {
    void client.invalidateQueries({ queryKey: providerKeys.all });
    void client.invalidateQueries({ queryKey: routeKeys.all });
  };

  const sync = useMutation({
    mutationKey: SYNC_KEY,
    mutationFn: (provider: Provider) => providersApi.sync(provider.id),
    onSuccess: (report, provider) => {
      setFinished({ provider, report });
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const checkin = useMutation({
    mutationKey: CHECKIN_KEY,
    mutationFn: (provider: Provider) => providersApi.checkin(provider.id),
    onSuccess: (envelope, provider) => {
      const text = t('providers.checkin.result', {
        name: provider.name,
        message: envelope.message || envelope.data.message || t(`providers.checkin.status.${envelope.data.status}`),
      });
      const tone = checkinTone(envelope.data) ?? 'info';
      void message[tone](text, 5);
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const reportModal = (
    <Modal
      open={finished !== null}
      title={finished ? t('providers.sync.reportTitle', { name: finished.provider.name }) : null}
      onCancel={() => setFinished(null)}
      footer={<Button onClick={() => setFinished(null)}>{t('providers.sync.close')}</Button>}
      width={720}
      destroyOnHidden
    >
      {finished && <SyncReportView report={finished.report} />}
    </Modal>
  );

  return {
    sync: (provider: Provider) => sync.mutate(provider),
    checkin: (provider: Provider) => checkin.mutate(provider),
    syncing: usePendingIds(SYNC_KEY),
    checkingIn: usePendingIds(CHECKIN_KEY),
    reportModal,
  };
}
