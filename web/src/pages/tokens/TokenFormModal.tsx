import { App, Button, Checkbox, DatePicker, Form, Input, Modal, Space, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// The picker's month and weekday names in Chinese; antd picks the locale from its ConfigProvider.
import 'dayjs/locale/zh-cn';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import type { AggToken, AggTokenBody } from '../../api/tokens.js';
import { errorMessage } from '../../components/errors.js';
import { defaultTokenForm, formToBody, serverFieldErrors, tokenToForm, type TokenFormValues } from './tokenForm.js';

interface Props {
  open: boolean;
  /** The token being edited; none when creating. */
  token: AggToken | null;
  onSubmit: (body: AggTokenBody) => Promise<unknown>;
  onClose: () => void;
}

const pastDay = (date: Dayjs) => date.isBefore(dayjs().startOf('day'));

/** Creates or edits a token: name, status, expiry (a time or never), model limits, IP allow-list. */
export function TokenFormModal({ open, token, onSubmit, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TokenFormValues>();
  const [busy, setBusy] = useState(false);
  const neverExpires = Form.useWatch('neverExpires', form);
  const modelLimitsEnabled = Form.useWatch('modelLimitsEnabled', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields(); // also drops the server's errors from last time
    form.setFieldsValue(token ? tokenToForm(token) : defaultTokenForm());
  }, [open, token, form]);

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    // Every value, the hidden model list included, so that switching limits off does not lose it.
    const values = form.getFieldsValue(true) as TokenFormValues;
    setBusy(true);
    try {
      await onSubmit(formToBody(values));
    } catch (error) {
      if (error instanceof ApiError) form.setFields(serverFieldErrors(error.message));
      void message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  const presets = [
    { label: t('tokens.form.preset.day'), value: dayjs().add(1, 'day') },
    { label: t('tokens.form.preset.week'), value: dayjs().add(7, 'day') },
    { label: t('tokens.form.preset.month'), value: dayjs().add(30, 'day') },
    { label: t('tokens.form.preset.year'), value: dayjs().add(1, 'year') },
  ];

  return (
    <Modal
      open={open}
      title={token ? t('tokens.form.editTitle') : t('tokens.form.createTitle')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.actions.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="token-form-submit">
            {token ? t('common.actions.save') : t('common.actions.create')}
          </Button>
        </Space>
      }
      forceRender
      width={600}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={defaultTokenForm()}
        // A server error on a field stays until that field changes.
        onValuesChange={(changed: Partial<TokenFormValues>) =>
          form.setFields(
            (Object.keys(changed) as (keyof TokenFormValues)[])
              .filter((name) => form.getFieldError(name).length > 0 && !form.isFieldValidating(name))
              .map((name) => ({ name, errors: [] })),
          )
        }
      >
        <Form.Item
          name="name"
          label={t('tokens.form.name')}
          rules={[{ required: true, whitespace: true, message: t('tokens.form.nameRequired') }, { max: 64 }]}
        >
          <Input data-testid="token-form-name" placeholder={t('tokens.form.namePlaceholder')} maxLength={64} />
        </Form.Item>
        <Form.Item name="enabled" label={t('tokens.form.status')} valuePropName="checked">
          <Switch checkedChildren={t('common.status.enabled')} unCheckedChildren={t('common.status.disabled')} />
        </Form.Item>
        <Form.Item label={t('tokens.form.expiry')} required={!neverExpires}>
          <Space wrap>
            <Form.Item
              name="expiresAt"
              noStyle
              rules={[{ required: !neverExpires, message: t('tokens.form.expiryRequired') }]}
            >
              <DatePicker
                showTime
                disabled={neverExpires}
                disabledDate={pastDay}
                presets={presets}
                placeholder={t('tokens.form.expiryPlaceholder')}
              />
            </Form.Item>
            <Form.Item name="neverExpires" noStyle valuePropName="checked">
              <Checkbox>{t('tokens.form.never')}</Checkbox>
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item
          name="modelLimitsEnabled"
          label={t('tokens.form.modelLimitsEnabled')}
          valuePropName="checked"
          extra={t('tokens.form.modelLimitsHelp')}
        >
          <Switch />
        </Form.Item>
        {modelLimitsEnabled && (
          <Form.Item
            name="modelLimits"
            label={t('tokens.form.modelLimits')}
            rules={[{ required: true, whitespace: true, message: t('tokens.form.modelLimitsRequired') }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 6 }}
              placeholder="gpt-4o, gpt-4o-mini, claude-3-5-sonnet"
            />
          </Form.Item>
        )}
        <Form.Item name="allowIps" label={t('tokens.form.allowIps')} extra={t('tokens.form.allowIpsHelp')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 8 }}
            placeholder={'203.0.113.7\n10.0.0.0/8\n2001:db8::/32'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
