import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Form, Input } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/users.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { profileBody, type ProfileValues } from './settingsLogic.js';

/** The caller's display name and email. */
export function ProfileCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const auth = useAuth();
  const user = auth.user;
  const [form] = Form.useForm<ProfileValues>();
  useEffect(() => {
    if (user) form.setFieldsValue({ display_name: user.display_name, email: user.email });
  }, [user, form]);
  const save = useMutation({
    mutationFn: (values: ProfileValues) => usersApi.updateSelf(profileBody(values)),
    onSuccess: async () => {
      void message.success(t('settings.profile.saved'));
      await auth.refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  return (
    <Card title={t('settings.profile.title')}>
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Form.Item label={t('settings.profile.username')}>
          <Input value={user?.username} disabled />
        </Form.Item>
        <Form.Item
          name="display_name"
          label={t('settings.profile.displayName')}
          rules={[{ max: 64, message: t('settings.profile.max64') }]}
        >
          <Input data-testid="settings-display-name" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('settings.profile.email')}
          rules={[{ type: 'email', message: t('settings.profile.badEmail') }]}
        >
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save-profile">
          {t('common.actions.save')}
        </Button>
      </Form>
    </Card>
  );
}
