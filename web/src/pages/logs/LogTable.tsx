import { Button, Empty, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LogItem } from '../../api/logs.js';
import { formatTime, formatUsd } from '../../components/time.js';
import { formatCount, formatMs } from '../dashboard/format.js';
import { attemptCount, statusTag } from './filters.js';

interface Props {
  items: LogItem[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  showUser: boolean;
  filtered: boolean;
  onPage: (page: number, pageSize: number) => void;
  onOpen: (item: LogItem) => void;
}

/** One row per client request, newest first, paged by the server. */
export function LogTable({ items, total, page, pageSize, loading, showUser, filtered, onPage, onOpen }: Props) {
  const { t } = useTranslation();
  const errorType = (type: string) => (type ? t(`logs.errorTypes.${type}`, { defaultValue: type }) : '');
  const columns: TableColumnsType<LogItem> = [
    { title: t('logs.columns.time'), dataIndex: 'created_at', width: 160, render: (at: number) => formatTime(at) },
    ...(showUser ? [{ title: t('logs.columns.user'), dataIndex: 'user_id', width: 70, align: 'right' as const }] : []),
    { title: t('logs.columns.model'), dataIndex: 'model_name', ellipsis: true },
    {
      title: t('logs.columns.provider'),
      dataIndex: 'provider_name',
      ellipsis: true,
      render: (name: string) => name || <Typography.Text type="secondary">{t('logs.noProvider')}</Typography.Text>,
    },
    { title: t('logs.columns.endpoint'), dataIndex: 'endpoint', ellipsis: true },
    {
      title: t('logs.columns.stream'),
      dataIndex: 'is_stream',
      width: 80,
      render: (stream: number) => (stream ? t('common.actions.yes') : t('common.actions.no')),
    },
    {
      title: t('logs.columns.status'),
      key: 'status',
      width: 80,
      render: (_: unknown, row) => {
        const tag = statusTag(row);
        const reason = [errorType(row.error_type), row.error_message].filter(Boolean).join(': ');
        return (
          <Tooltip title={reason || undefined}>
            <Tag color={tag.color}>{tag.text}</Tag>
          </Tooltip>
        );
      },
    },
    {
      title: t('logs.columns.tokens'),
      dataIndex: 'total_tokens',
      align: 'right',
      width: 80,
      render: (tokens: number, row) => (
        <Tooltip
          title={t('logs.columns.tokensDetail', {
            prompt: row.prompt_tokens,
            completion: row.completion_tokens,
            cache: row.cache_tokens,
          })}
        >
          {formatCount(tokens)}
        </Tooltip>
      ),
    },
    {
      title: t('logs.columns.cost'),
      dataIndex: 'cost_usd',
      align: 'right',
      width: 95,
      render: (cost: number) => formatUsd(cost, 6),
    },
    { title: t('logs.columns.latency'), dataIndex: 'latency_ms', align: 'right', width: 80, render: formatMs },
    { title: t('logs.columns.firstByte'), dataIndex: 'first_byte_ms', align: 'right', width: 90, render: formatMs },
    {
      title: t('logs.columns.attempts'),
      key: 'attempts',
      align: 'right',
      width: 90,
      render: (_: unknown, row) => {
        const count = attemptCount(row);
        return <Typography.Text type={count > 1 ? 'warning' : undefined}>{count}</Typography.Text>;
      },
    },
  ];

  return (
    <Table<LogItem>
      data-testid="logs-table"
      size="small"
      rowKey="request_id"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 1100 }}
      onRow={(row) => ({
        'data-testid': `logs-row-${row.request_id}`,
        onClick: () => onOpen(row),
        style: { cursor: 'pointer' },
      })}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        showTotal: (count) => t('logs.total', { total: count }),
        onChange: onPage,
      }}
      locale={{
        emptyText: filtered ? (
          <Empty description={t('logs.emptyFiltered')} />
        ) : (
          <Empty description={t('logs.empty')}>
            <Link to="/tokens">
              <Button type="primary">{t('logs.createToken')}</Button>
            </Link>
          </Empty>
        ),
      }}
    />
  );
}
