import { Button, Descriptions, Drawer, Empty, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogItem, UsageLogRow } from '../../api/logs.js';
import { formatTime, formatUsd } from '../../components/time.js';
import { formatMs } from '../dashboard/format.js';
import { DETAIL_FIELDS, statusTag } from './filters.js';

/** Fields whose values run long get a whole line. */
const WIDE_FIELDS = new Set<string>(['request_id', 'error_message', 'endpoint', 'client_ip', 'user_agent']);

interface Props {
  item: LogItem | null;
  onClose: () => void;
  onFilterRequest: (requestId: string) => void;
}

/** Every field of a request's deciding row, and the failed attempts before it. */
export function LogDetailDrawer({ item, onClose, onFilterRequest }: Props) {
  const { t } = useTranslation();
  const errorType = (type: string) => (type ? t(`logs.errorTypes.${type}`, { defaultValue: type }) : '—');
  const show = (row: UsageLogRow, field: (typeof DETAIL_FIELDS)[number]): ReactNode => {
    switch (field) {
      case 'created_at':
        return `${formatTime(row.created_at)} (${row.created_at})`;
      case 'is_stream':
        return row.is_stream ? t('common.actions.yes') : t('common.actions.no');
      case 'final':
        return row.final ? t('common.actions.yes') : t('common.actions.no');
      case 'status': {
        const tag = statusTag(row);
        return <Tag color={tag.color}>{t(`logs.filters.statuses.${row.status === 1 ? 'success' : 'error'}`)}</Tag>;
      }
      case 'error_type':
        return errorType(row.error_type);
      case 'latency_ms':
      case 'first_byte_ms':
        return `${row[field]} ms`;
      case 'cost_usd':
        return formatUsd(row.cost_usd, 8);
      case 'request_id':
        return <Typography.Text copyable>{row.request_id}</Typography.Text>;
      case 'error_message':
        return row.error_message ? (
          <Typography.Text type="danger" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {row.error_message}
          </Typography.Text>
        ) : (
          '—'
        );
      default: {
        const value = row[field];
        return value === '' ? '—' : String(value);
      }
    }
  };
  const attemptColumns: TableColumnsType<UsageLogRow> = [
    { title: '#', dataIndex: 'attempt', width: 50 },
    { title: t('logs.columns.provider'), dataIndex: 'provider_name', ellipsis: true },
    { title: t('logs.detail.errorType'), dataIndex: 'error_type', width: 130, render: errorType },
    {
      title: t('logs.columns.status'),
      dataIndex: 'http_status',
      width: 80,
      render: (_: number, row) => <Tag color="error">{statusTag(row).text}</Tag>,
    },
    {
      title: t('logs.detail.message'),
      dataIndex: 'error_message',
      render: (message: string) => (
        <Typography.Text style={{ wordBreak: 'break-word' }}>{message || '—'}</Typography.Text>
      ),
    },
    { title: t('logs.columns.latency'), dataIndex: 'latency_ms', align: 'right', width: 90, render: formatMs },
  ];

  return (
    <Drawer
      data-testid="logs-detail"
      open={item !== null}
      onClose={onClose}
      size={760}
      title={t('logs.detail.title')}
      extra={
        item && (
          <Button size="small" onClick={() => onFilterRequest(item.request_id)}>
            {t('logs.detail.filterByRequest')}
          </Button>
        )
      }
    >
      {item && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('logs.detail.final')}
          </Typography.Title>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={DETAIL_FIELDS.map((field) => ({
              key: field,
              span: WIDE_FIELDS.has(field) ? 2 : 1,
              label: t(`logs.fields.${field}`),
              children: show(item, field),
            }))}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('logs.detail.failedAttempts', { count: item.attempts.length })}
          </Typography.Title>
          {item.attempts.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('logs.detail.noFailedAttempts')} />
          ) : (
            <Table<UsageLogRow>
              size="small"
              rowKey="id"
              columns={attemptColumns}
              dataSource={item.attempts}
              pagination={false}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
