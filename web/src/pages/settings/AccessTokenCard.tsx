import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/users.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { CopyField } from '../tokens/CopyField.js';

/** A personal access token for scripts calling the management API; shown once, the old one stops working. */
export function AccessTokenCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const auth = useAuth();
  const user = auth.user;
  const [token, setToken] = useState<string>();
  const generate = useMutation({
    mutationFn: () => usersApi.generateAccessToken(),
    onSuccess: async (value) => {
      setToken(value);
      await auth.refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const button = (
    <Button
      loading={generate.isPending}
      data-testid="settings-generate-token"
      onClick={user?.has_access_token ? undefined : () => generate.mutate()}
    >
      {user?.has_access_token ? t('settings.accessToken.regenerate') : t('settings.accessToken.generate')}
    </Button>
  );
  return (
    <Card title={t('settings.accessToken.title')}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('settings.accessToken.description')}</Typography.Text>
        <Typography.Text>
          {user?.has_access_token ? t('settings.accessToken.hasOne') : t('settings.accessToken.none')}
        </Typography.Text>
        {user?.has_access_token ? (
          <Popconfirm
            title={t('settings.accessToken.confirm')}
            okText={t('settings.accessToken.regenerate')}
            cancelText={t('common.actions.cancel')}
            onConfirm={() => generate.mutate()}
          >
            {button}
          </Popconfirm>
        ) : (
          button
        )}
        {token && (
          <>
            <Alert type="warning" showIcon title={t('settings.accessToken.shownOnce')} />
            <CopyField text={token} testId="settings-access-token" />
            <Typography.Text type="secondary">
              {t('settings.accessToken.usage', { origin: window.location.origin })}
            </Typography.Text>
          </>
        )}
      </Space>
    </Card>
  );
}
