import { Card, Col, Empty, Row, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TopToken, TopUser } from '../../api/dashboard.js';
import { formatUsd } from '../../components/time.js';
import { formatCount } from './format.js';

const num = (value: number) => formatCount(value);

/** The ten tokens and users that spent the most in the window. */
export function TopTables({ tokens, users }: { tokens: TopToken[]; users: TopUser[] }) {
  const { t } = useTranslation();
  const tokenColumns: TableColumnsType<TopToken> = [
    {
      title: t('dashboard.topTokens.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (name: string, row) =>
        name || (
          <Typography.Text type="secondary">
            {t('dashboard.topTokens.unnamed', { id: row.aggregated_token_id })}
          </Typography.Text>
        ),
    },
    { title: t('dashboard.topTokens.user'), dataIndex: 'user_id', align: 'right' },
    { title: t('dashboard.topTokens.requests'), dataIndex: 'requests', align: 'right', render: num },
    { title: t('dashboard.topTokens.tokens'), dataIndex: 'tokens', align: 'right', render: num },
    {
      title: t('dashboard.topTokens.cost'),
      dataIndex: 'cost_usd',
      align: 'right',
      render: (v: number) => formatUsd(v),
    },
  ];
  const userColumns: TableColumnsType<TopUser> = [
    {
      title: t('dashboard.topUsers.name'),
      dataIndex: 'username',
      ellipsis: true,
      render: (name: string, row) =>
        name || (
          <Typography.Text type="secondary">{t('dashboard.topUsers.unnamed', { id: row.user_id })}</Typography.Text>
        ),
    },
    { title: t('dashboard.topUsers.requests'), dataIndex: 'requests', align: 'right', render: num },
    { title: t('dashboard.topUsers.tokens'), dataIndex: 'tokens', align: 'right', render: num },
    { title: t('dashboard.topUsers.cost'), dataIndex: 'cost_usd', align: 'right', render: (v: number) => formatUsd(v) },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.topTokens.title')}>
          <Table
            size="small"
            rowKey="aggregated_token_id"
            columns={tokenColumns}
            dataSource={tokens}
            pagination={false}
            locale={{ emptyText: <Empty description={t('dashboard.topTokens.empty')} /> }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('dashboard.topUsers.title')}>
          <Table
            size="small"
            rowKey="user_id"
            columns={userColumns}
            dataSource={users}
            pagination={false}
            locale={{ emptyText: <Empty description={t('dashboard.topUsers.empty')} /> }}
          />
        </Card>
      </Col>
    </Row>
  );
}
