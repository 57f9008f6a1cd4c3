import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Form, Input, InputNumber, Modal, Row, Switch, type FormRule } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { providerKeys, providersApi, routeKeys, type Provider } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import {
  fieldProblem,
  serverProblems,
  toFormValues,
  toProviderBody,
  type ProviderField,
  type ProviderFormValues,
} from './providerForm.js';

interface Props {
  open: boolean;
  /** The provider to edit; null to add one. */
  provider: Provider | null;
  onClose: () => void;
  onCreated?: (provider: Provider) => void;
}

/** Add or edit a provider. The access token is write-only: empty on edit means "keep it". */
export function ProviderFormModal({ open, provider, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<ProviderFormValues>();
  const [generalError, setGeneralError] = useState<string | null>(null);
  const creating = provider === null;

  const save = useMutation({
    mutationFn: (values: ProviderFormValues) => {
      const body = toProviderBody(values, provider?.id);
      return creating ? providersApi.create(body) : providersApi.update(body);
    },
    onSuccess: (saved) => {
      void message.success(t(creating ? 'providers.form.created' : 'providers.form.updated', { name: saved.name }));
      void client.invalidateQueries({ queryKey: providerKeys.all });
      void client.invalidateQueries({ queryKey: routeKeys.all });
      if (creating) onCreated?.(saved);
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code !== 'NETWORK') {
        const problems = serverProblems(error.message);
        form.setFields(problems.fields);
        const rest = problems.rest.join('; ');
        setGeneralError(rest || (problems.fields.length ? null : error.message));
      } else {
        setGeneralError(errorMessage(error, t));
      }
    },
  });

  const rule = (field: ProviderField): FormRule => ({
    validator: (_, value: unknown) => {
      const problem = fieldProblem(field, value, creating);
      return problem ? Promise.reject(new Error(t(`providers.form.errors.${problem}`))) : Promise.resolve();
    },
  });

  return (
    <Modal
      open={open}
      title={creating ? t('providers.form.createTitle') : t('providers.form.editTitle', { name: provider.name })}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && setGeneralError(null)}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.actions.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          data-testid="provider-form-submit"
          loading={save.isPending}
          onClick={() => form.submit()}
        >
          {creating ? t('common.actions.create') : t('common.actions.save')}
        </Button>,
      ]}
    >
      {generalError && (
        <Alert
          type="error"
          showIcon
          title={generalError}
          style={{ marginBottom: 16 }}
          data-testid="provider-form-error"
        />
      )}
      <Form<ProviderFormValues>
        form={form}
        layout="vertical"
        initialValues={toFormValues(provider)}
        onFinish={(values) => {
          setGeneralError(null);
          save.mutate(values);
        }}
        disabled={save.isPending}
      >
        <Form.Item name="name" label={t('providers.form.name')} required rules={[rule('name')]}>
          <Input data-testid="provider-form-name" placeholder={t('providers.form.namePlaceholder')} maxLength={128} />
        </Form.Item>
        <Form.Item name="base_url" label={t('providers.form.baseUrl')} required rules={[rule('base_url')]}>
          <Input data-testid="provider-form-base_url" placeholder={t('providers.form.baseUrlPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="access_token"
          label={t('providers.form.accessToken')}
          required={creating}
          rules={[rule('access_token')]}
          extra={t('providers.form.accessTokenHelp')}
        >
          <Input.Password
            data-testid="provider-form-access_token"
            autoComplete="new-password"
            placeholder={creating ? t('providers.form.accessTokenPlaceholder') : t('providers.form.accessTokenKeep')}
          />
        </Form.Item>
        <Form.Item
          name="user_id"
          label={t('providers.form.userId')}
          required
          rules={[rule('user_id')]}
          extra={t('providers.form.userIdHelp')}
        >
          <InputNumber data-testid="provider-form-user_id" min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="weight"
              label={t('providers.form.weight')}
              rules={[rule('weight')]}
              extra={t('providers.form.weightHelp')}
            >
              <InputNumber
                data-testid="provider-form-weight"
                min={0}
                max={10_000}
                precision={0}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="priority"
              label={t('providers.form.priority')}
              rules={[rule('priority')]}
              extra={t('providers.form.priorityHelp')}
            >
              <InputNumber
                data-testid="provider-form-priority"
                min={-10_000}
                max={10_000}
                precision={0}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="status" label={t('providers.form.status')} valuePropName="checked">
              <Switch data-testid="provider-form-status" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="checkin_enabled" label={t('providers.form.checkinEnabled')} valuePropName="checked">
              <Switch data-testid="provider-form-checkin_enabled" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="remark" label={t('providers.form.remark')} rules={[rule('remark')]}>
          <Input.TextArea rows={2} maxLength={1000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
