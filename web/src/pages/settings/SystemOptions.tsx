import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { OPTIONS_QUERY_KEY, optionsApi } from '../../api/options.js';
import { errorMessage } from '../../components/errors.js';
import { OptionRow } from './OptionRow.js';

/** Every system option (root only), each saved on its own. */
export function SystemOptions() {
  const { t } = useTranslation();
  const options = useQuery({ queryKey: OPTIONS_QUERY_KEY, queryFn: optionsApi.list });
  return (
    <Card title={t('settings.system.title')} extra={t('settings.system.hint')}>
      {options.isPending && <Skeleton active />}
      {options.isError && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(options.error, t)}
          action={<Button onClick={() => void options.refetch()}>{t('common.actions.refresh')}</Button>}
        />
      )}
      {options.data?.length === 0 && <Empty description={t('common.empty')} />}
      {options.data && options.data.length > 0 && (
        <Form layout="horizontal" labelCol={{ flex: '200px' }} labelWrap colon={false}>
          {options.data.map((entry) => (
            // A saved value remounts its row, so the draft starts again from what the server holds.
            <OptionRow key={`${entry.key}:${String(entry.value)}`} entry={entry} />
          ))}
        </Form>
      )}
    </Card>
  );
}
