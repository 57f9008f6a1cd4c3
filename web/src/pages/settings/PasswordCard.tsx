import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { usersApi } from '../../api/users.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { PASSWORD_MAX, PASSWORD_MIN, passwordBody, passwordProblem, type PasswordValues } from './settingsLogic.js';

/** Changes the caller's password; this session stays (the server renews its cookie), others end. */
export function PasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const auth = useAuth();
  const user = auth.user;
  const [form] = Form.useForm<PasswordValues>();
  const change = useMutation({
    mutationFn: (values: PasswordValues) => usersApi.updateSelf(passwordBody(values)),
    onSuccess: async () => {
      form.resetFields();
      void message.success(t('settings.password.changed'));
      await auth.refresh(); // the first-run banner goes once root's password is no longer the default
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'WRONG_PASSWORD') {
        form.setFields([{ name: 'original_password', errors: [t('settings.password.wrong')] }]);
      }
      void message.error(errorMessage(error, t));
    },
  });
  const confirmRule = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, value: string | undefined) =>
      !value || value === getFieldValue('password')
        ? Promise.resolve()
        : Promise.reject(new Error(t('settings.password.mismatch'))),
  });
  const submit = (values: PasswordValues) => {
    if (!passwordProblem(values)) change.mutate(values);
  };
  return (
    <Card title={t('settings.password.title')}>
      {user?.default_password && (
        <Alert type="warning" showIcon title={t('settings.password.defaultWarning')} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off">
        <Form.Item
          name="original_password"
          label={t('settings.password.current')}
          rules={[{ required: true, message: t('settings.password.currentRequired') }]}
        >
          <Input.Password data-testid="settings-old-password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('settings.password.new')}
          rules={[
            { required: true, message: t('settings.password.newRequired') },
            { min: PASSWORD_MIN, message: t('settings.password.tooShort') },
            { max: PASSWORD_MAX, message: t('settings.password.tooLong') },
          ]}
        >
          <Input.Password data-testid="settings-new-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('settings.password.confirm')}
          dependencies={['password']}
          rules={[{ required: true, message: t('settings.password.confirmRequired') }, confirmRule]}
        >
          <Input.Password data-testid="settings-confirm-password" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="settings-change-password">
          {t('settings.password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
