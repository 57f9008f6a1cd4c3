import { Button, Popconfirm, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { AggToken } from '../../api/tokens.js';
import { formatTime } from '../../components/time.js';
import { ENABLED, isExpired, splitIpLines, splitModels } from './tokenForm.js';

export interface TokenRowActions {
  onToggle: (token: AggToken, enabled: boolean) => void;
  onEdit: (token: AggToken) => void;
  onReveal: (token: AggToken) => void;
  onDelete: (token: AggToken) => void;
  /** The ids of the tokens whose switch, reveal or delete is under way. */
  busy: { toggle: number | null; reveal: number | null; remove: number | null };
}

/** Up to `max` tags, then "+N" with the rest in a tooltip. */
function TagList({ values, max = 3 }: { values: string[]; max?: number }) {
  const rest = values.slice(max);
  return (
    <Space size={[4, 4]} wrap>
      {values.slice(0, max).map((value) => (
        <Tag key={value}>{value}</Tag>
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.join(', ')}>
          <Tag>+{rest.length}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

export function tokenColumns(t: TFunction, actions: TokenRowActions): ColumnsType<AggToken> {
  const now = Math.floor(Date.now() / 1000);
  return [
    { title: t('tokens.columns.name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('tokens.columns.key'),
      dataIndex: 'key',
      render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
    },
    {
      title: t('tokens.columns.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: number, token) => (
        <Switch
          size="small"
          checked={status === ENABLED}
          loading={actions.busy.toggle === token.id}
          onChange={(checked) => actions.onToggle(token, checked)}
          aria-label={t('tokens.columns.status')}
        />
      ),
    },
    {
      title: t('tokens.columns.expiry'),
      dataIndex: 'expired_time',
      render: (expires: number, token) =>
        expires <= 0 ? (
          <Typography.Text type="secondary">{t('common.never')}</Typography.Text>
        ) : (
          <Space size={4}>
            {formatTime(expires)}
            {isExpired(token, now) && <Tag color="red">{t('tokens.expired')}</Tag>}
          </Space>
        ),
    },
    {
      title: t('tokens.columns.models'),
      key: 'models',
      render: (_: unknown, token) =>
        token.model_limits_enabled ? (
          <TagList values={splitModels(token.model_limits)} />
        ) : (
          <Typography.Text type="secondary">{t('tokens.allModels')}</Typography.Text>
        ),
    },
    {
      title: t('tokens.columns.ips'),
      dataIndex: 'allow_ips',
      render: (ips: string) => {
        const lines = splitIpLines(ips);
        return lines.length ? (
          <TagList values={lines} max={2} />
        ) : (
          <Typography.Text type="secondary">{t('tokens.anyIp')}</Typography.Text>
        );
      },
    },
    { title: t('tokens.columns.created'), dataIndex: 'created_at', render: (time: number) => formatTime(time) },
    {
      title: t('tokens.columns.lastUsed'),
      dataIndex: 'accessed_at',
      render: (time: number) => (time > 0 ? formatTime(time) : t('tokens.neverUsed')),
    },
    {
      title: t('tokens.columns.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, token) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => actions.onEdit(token)}>
            {t('common.actions.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            loading={actions.busy.reveal === token.id}
            onClick={() => actions.onReveal(token)}
          >
            {t('common.actions.reveal')}
          </Button>
          <Popconfirm
            title={t('tokens.deleteConfirm', { name: token.name })}
            description={t('tokens.deleteHint')}
            okText={t('common.actions.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.actions.cancel')}
            onConfirm={() => actions.onDelete(token)}
          >
            <Button type="link" size="small" danger loading={actions.busy.remove === token.id}>
              {t('common.actions.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
}
