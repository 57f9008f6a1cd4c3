import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, InputNumber, Progress, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { routeKeys, routesApi, type ModelRoute, type RouteChanges } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { formatTime } from '../../components/time.js';
import { formatShare, routeEditBody, type RouteDraft } from './tiers.js';

interface Editing extends RouteDraft {
  id: number;
}

/** The routes of one priority tier: enable switch, inline priority/weight tuning, share of the tier. */
export function RouteTierTable({ model, routes }: { model: string; routes: ModelRoute[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Editing | null>(null);

  const update = useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: RouteChanges }) => routesApi.update(id, changes),
    onSuccess: (_, { changes }) => {
      if (changes.enabled !== undefined)
        void message.success(t(changes.enabled ? 'routes.enabledOn' : 'routes.enabledOff'));
      else void message.success(t('routes.saved'));
      setEditing(null);
      void client.invalidateQueries({ queryKey: routeKeys.byModel(model) });
      void client.invalidateQueries({ queryKey: ['routes', 'provider'] });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const pendingId = update.isPending ? update.variables.id : undefined;
  const resetHealth = useMutation({
    mutationFn: (id: number) => routesApi.resetHealth(id),
    onSuccess: () => {
      void message.success(t('routes.healthReset'));
      void client.invalidateQueries({ queryKey: routeKeys.byModel(model) });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const save = (route: ModelRoute) => {
    if (!editing) return;
    const body = routeEditBody(route, editing);
    if (body) update.mutate({ id: route.id, changes: body });
    else setEditing(null);
  };

  const isEditing = (route: ModelRoute) => editing?.id === route.id;

  return (
    <Table<ModelRoute>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={routes}
      scroll={{ x: 860 }}
      onRow={(route) => ({ 'data-testid': `routes-route-${route.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('routes.columns.provider'),
          key: 'provider',
          width: 180,
          render: (_, route) => <Link to={`/providers/${route.provider_id}`}>{route.provider_name}</Link>,
        },
        {
          title: t('routes.columns.token'),
          key: 'token',
          render: (_, route) => (
            <Space size={4} wrap>
              <span>{route.token_name}</span>
              <Tag>{route.token_group || t('routes.defaultGroup')}</Tag>
              {route.overridden && (
                <Tooltip title={t('routes.overriddenHelp')}>
                  <Tag color="gold" data-testid="routes-overridden">
                    {t('routes.overridden')}
                  </Tag>
                </Tooltip>
              )}
              {route.health.cooling_until > 0 && (
                <Tooltip
                  title={t('routes.restingHelp', {
                    failures: route.health.failures,
                    until: formatTime(route.health.cooling_until),
                    error: route.health.last_error,
                  })}
                >
                  <Tag color="red" data-testid="routes-resting">
                    {t('routes.resting')}
                  </Tag>
                </Tooltip>
              )}
              {route.health.failures > 0 && (
                <Button
                  size="small"
                  type="link"
                  data-testid="routes-reset-health"
                  loading={resetHealth.isPending && resetHealth.variables === route.id}
                  onClick={() => resetHealth.mutate(route.id)}
                >
                  {t('routes.resetHealth')}
                </Button>
              )}
            </Space>
          ),
        },
        {
          title: t('routes.columns.priority'),
          key: 'priority',
          width: 120,
          render: (_, route) =>
            isEditing(route) && editing ? (
              <InputNumber
                size="small"
                min={-10_000}
                max={10_000}
                precision={0}
                value={editing.priority}
                onChange={(value) => setEditing({ ...editing, priority: value })}
                onPressEnter={() => save(route)}
                data-testid="routes-edit-priority"
              />
            ) : (
              route.priority
            ),
        },
        {
          title: t('routes.columns.weight'),
          key: 'weight',
          width: 120,
          render: (_, route) =>
            isEditing(route) && editing ? (
              <InputNumber
                size="small"
                min={0}
                max={10_000}
                precision={0}
                value={editing.weight}
                onChange={(value) => setEditing({ ...editing, weight: value })}
                onPressEnter={() => save(route)}
                data-testid="routes-edit-weight"
              />
            ) : (
              route.weight
            ),
        },
        {
          title: t('routes.columns.share'),
          key: 'share',
          width: 170,
          render: (_, route) =>
            route.enabled && route.share === 0 ? (
              <Tooltip title={t('routes.unusableHelp')}>
                <Typography.Text type="warning">{t('routes.unusable')}</Typography.Text>
              </Tooltip>
            ) : (
              <Space size={8}>
                <Progress percent={route.share * 100} showInfo={false} status="normal" size={[80, 6]} />
                <span data-testid="routes-share">{formatShare(route.share)}</span>
              </Space>
            ),
        },
        {
          title: t('routes.columns.enabled'),
          key: 'enabled',
          width: 80,
          render: (_, route) => (
            <Switch
              size="small"
              checked={route.enabled}
              loading={pendingId === route.id && update.variables?.changes.enabled !== undefined}
              onChange={(enabled) => update.mutate({ id: route.id, changes: { enabled } })}
              data-testid="routes-enabled"
            />
          ),
        },
        {
          title: t('routes.columns.actions'),
          key: 'actions',
          width: 140,
          render: (_, route) =>
            isEditing(route) ? (
              <Space size={4}>
                <Button
                  size="small"
                  type="primary"
                  loading={pendingId === route.id}
                  onClick={() => save(route)}
                  data-testid="routes-edit-save"
                >
                  {t('routes.save')}
                </Button>
                <Button size="small" onClick={() => setEditing(null)}>
                  {t('routes.cancel')}
                </Button>
              </Space>
            ) : (
              <Button
                size="small"
                type="link"
                onClick={() => setEditing({ id: route.id, priority: route.priority, weight: route.weight })}
                data-testid="routes-edit"
              >
                {t('routes.edit')}
              </Button>
            ),
        },
      ]}
    />
  );
}
