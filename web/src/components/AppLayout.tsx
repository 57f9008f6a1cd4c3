import {
  ApiOutlined,
  BarChartOutlined,
  ClusterOutlined,
  FileSearchOutlined,
  KeyOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext.js';
import { LanguageSwitch } from './LanguageSwitch.js';

interface MenuEntry {
  key: string;
  icon: ReactNode;
  admin?: boolean;
}

const MENU: MenuEntry[] = [
  { key: 'dashboard', icon: <BarChartOutlined />, admin: true },
  { key: 'providers', icon: <ClusterOutlined />, admin: true },
  { key: 'tokens', icon: <KeyOutlined /> },
  { key: 'routes', icon: <ApiOutlined />, admin: true },
  { key: 'logs', icon: <FileSearchOutlined /> },
  { key: 'users', icon: <TeamOutlined />, admin: true },
  { key: 'settings', icon: <SettingOutlined /> },
];

/** The frame of every page after login: menu by role, language switch, first-run banner. */
export function AppLayout() {
  const { t } = useTranslation();
  const auth = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  if (auth.loading) return null;
  if (!auth.user)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const section = location.pathname.split('/')[1] || 'tokens';
  const items = MENU.filter((entry) => !entry.admin || auth.isAdmin).map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label: <Link to={`/${entry.key}`}>{t(`common.menu.${entry.key}`)}</Link>,
  }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <Typography.Title level={5} style={{ padding: '16px 24px', margin: 0 }}>
          {t('common.appName')}
        </Typography.Title>
        <Menu mode="inline" selectedKeys={[section]} items={items} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', padding: '0 24px' }}>
          <Space>
            <LanguageSwitch />
            <Typography.Text data-testid="current-user">{auth.user.display_name || auth.user.username}</Typography.Text>
            <Button
              size="small"
              onClick={() => {
                void auth.logout().then(() => navigate('/login'));
              }}
            >
              {t('common.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {auth.user.default_password && (
            <Alert
              type="warning"
              showIcon
              data-testid="default-password-banner"
              style={{ marginBottom: 16 }}
              message={t('common.defaultPasswordBanner')}
              action={<Link to="/settings">{t('common.goToSettings')}</Link>}
            />
          )}
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
