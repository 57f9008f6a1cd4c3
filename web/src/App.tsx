import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Button } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import { setUnauthorizedHandler } from './api/client.js';
import { SELF_QUERY_KEY, useAuth } from './auth/AuthContext.js';
import { AppLayout } from './components/AppLayout.js';
import Login from './pages/Login.js';

const Dashboard = lazy(() => import('./pages/dashboard/DashboardPage.js'));
const Providers = lazy(() => import('./pages/providers/ProvidersPage.js'));
const ProviderDetail = lazy(() => import('./pages/providers/ProviderDetailPage.js'));
const Tokens = lazy(() => import('./pages/tokens/TokensPage.js'));
const RoutesPage = lazy(() => import('./pages/routes/RoutesPage.js'));
const Logs = lazy(() => import('./pages/logs/LogsPage.js'));
const Users = lazy(() => import('./pages/users/UsersPage.js'));
const Settings = lazy(() => import('./pages/settings/SettingsPage.js'));

/** When any call finds the session gone, forget the user; the layout then sends them to log in. */
function SessionWatcher() {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => client.setQueryData(SELF_QUERY_KEY, null));
  }, [client]);
  return null;
}

function Home() {
  const { isAdmin } = useAuth();
  return <Navigate to={isAdmin ? '/dashboard' : '/tokens'} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <AntApp>
        <BrowserRouter>
          <SessionWatcher />
          <Suspense fallback={null}>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route element={<AppLayout />}>
                <Route index element={<Home />} />
                <Route path="dashboard" element={<Dashboard />} />
                <Route path="providers" element={<Providers />} />
                <Route path="providers/:id" element={<ProviderDetail />} />
                <Route path="tokens" element={<Tokens />} />
                <Route path="routes" element={<RoutesPage />} />
                <Route path="logs" element={<Logs />} />
                <Route path="users" element={<Users />} />
                <Route path="settings" element={<Settings />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
