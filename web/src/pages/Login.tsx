import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext.js';
import { errorMessage } from '../components/errors.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';

export default function Login() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const next = new URLSearchParams(location.search).get('next') || '/';
  if (auth.user) return <Navigate to={next} replace />;

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await auth.login(values.username, values.password);
      await navigate(next, { replace: true });
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }} extra={<LanguageSwitch />} title={t('common.appName')}>
        <Typography.Title level={4}>{t('common.login.title')}</Typography.Title>
        <Alert type="info" showIcon message={t('common.login.firstRun')} style={{ marginBottom: 16 }} />
        {error && (
          <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form layout="vertical" onFinish={(values: { username: string; password: string }) => void submit(values)}>
          <Form.Item name="username" label={t('common.login.username')} rules={[{ required: true }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('common.login.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('common.login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
