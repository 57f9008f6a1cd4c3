import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPTIONS_QUERY_KEY, optionsApi, type OptionEntry, type OptionValue } from '../../api/options.js';
import { errorMessage } from '../../components/errors.js';
import { canSaveOption, formatOptionValue, optionKind } from './settingsLogic.js';

/** One system option: a field typed by its value, its default, and its own save button. */
export function OptionRow({ entry }: { entry: OptionEntry }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [draft, setDraftValue] = useState<OptionValue | null>(entry.value);
  const save = useMutation({
    mutationFn: (value: OptionValue) => optionsApi.update(entry.key, value),
    onSuccess: (saved) => {
      void message.success(t('settings.system.saved', { key: entry.key }));
      client.setQueryData<OptionEntry[]>(OPTIONS_QUERY_KEY, (all) =>
        all?.map((item) => (item.key === saved.key ? saved : item)),
      );
      return client.invalidateQueries({ queryKey: OPTIONS_QUERY_KEY });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  /** A new draft clears the server's complaint about the last one. */
  const setDraft = (value: OptionValue | null) => {
    setDraftValue(value);
    if (save.isError) save.reset();
  };
  const kind = optionKind(entry);
  const field = (() => {
    switch (kind) {
      case 'switch':
        return <Switch checked={draft === true} onChange={(checked) => setDraft(checked)} />;
      case 'number':
        return (
          <InputNumber
            value={typeof draft === 'number' ? draft : null}
            onChange={(value) => setDraft(typeof value === 'number' ? value : null)}
            precision={0}
            style={{ width: 160 }}
          />
        );
      case 'textarea':
        return (
          <Input.TextArea
            value={String(draft ?? '')}
            onChange={(event) => setDraft(event.target.value)}
            autoSize={{ minRows: 3, maxRows: 12 }}
            style={{ width: 'min(560px, 60vw)' }}
          />
        );
      default:
        return (
          <Input
            value={String(draft ?? '')}
            onChange={(event) => setDraft(event.target.value)}
            style={{ width: 280 }}
          />
        );
    }
  })();

  const labels = { yes: t('common.actions.yes'), no: t('common.actions.no'), empty: t('settings.system.empty') };
  const helpKey = `settings.options.${entry.key}.help`;
  const help = i18n.exists(helpKey) ? t(helpKey) : undefined;
  return (
    <Form.Item
      label={t(`settings.options.${entry.key}.label`, { defaultValue: entry.key })}
      tooltip={entry.key}
      validateStatus={save.isError ? 'error' : undefined}
      help={save.isError ? errorMessage(save.error, t) : undefined}
      extra={
        <>
          {help && <div>{help}</div>}
          <div>{t('settings.system.default', { value: formatOptionValue(entry.default, labels) })}</div>
        </>
      }
      data-testid={`option-${entry.key}`}
    >
      <Space align="start" wrap>
        {field}
        <Button
          type="primary"
          disabled={!canSaveOption(entry, draft)}
          loading={save.isPending}
          onClick={() => {
            if (draft !== null) save.mutate(draft);
          }}
        >
          {t('common.actions.save')}
        </Button>
        {draft !== entry.default && (
          <Typography.Link onClick={() => setDraft(entry.default)}>{t('settings.system.useDefault')}</Typography.Link>
        )}
      </Space>
    </Form.Item>
  );
}
