import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providerKeys, providersApi, type PricingItem } from '../../api/providers.js';
import { errorMessage } from '../../components/errors.js';
import { formatUsd } from '../../components/time.js';

/** What the upstream charges per model (USD at group ratio 1), and its group ratios. */
export function PricingTab({ providerId }: { providerId: number }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const query = useQuery({
    queryKey: providerKeys.pricing(providerId),
    queryFn: () => providersApi.pricing(providerId),
  });
  const text = (key: string) => t(`providers.pricing.${key}`);
  const items = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = query.data?.items ?? [];
    return needle ? all.filter((item) => item.model_name.toLowerCase().includes(needle)) : all;
  }, [query.data, filter]);

  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error, t)} />;
  const ratios = Object.entries(query.data?.group_ratio ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const price = (value: number | null) => (value === null ? '—' : formatUsd(value, 4));

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
        <Space wrap size={4}>
          <Typography.Text strong>{text('groupRatios')}:</Typography.Text>
          {ratios.length === 0 && !query.isPending && (
            <Typography.Text type="secondary">{text('noGroupRatios')}</Typography.Text>
          )}
          {ratios.map(([group, ratio]) => (
            <Tag key={group}>
              {group} × {ratio}
            </Tag>
          ))}
          <Typography.Text type="secondary">{text('ratioNote')}</Typography.Text>
        </Space>
        <Input.Search
          allowClear
          placeholder={text('search')}
          onChange={(e) => setFilter(e.target.value)}
          style={{ width: 240 }}
        />
      </Flex>
      <Table<PricingItem>
        rowKey="model_name"
        size="small"
        loading={query.isPending}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true }}
        locale={{ emptyText: <Empty description={text('empty')} /> }}
        columns={[
          {
            title: text('model'),
            dataIndex: 'model_name',
            render: (model: string) => <Typography.Text code>{model}</Typography.Text>,
          },
          {
            title: text('billing'),
            dataIndex: 'billing',
            render: (billing: PricingItem['billing']) =>
              billing === 'per_call' ? (
                <Tag color="purple">{text('perCall')}</Tag>
              ) : (
                <Tag color="blue">{text('perToken')}</Tag>
              ),
          },
          { title: text('input'), dataIndex: 'input_per_1m', align: 'right', render: price },
          { title: text('output'), dataIndex: 'output_per_1m', align: 'right', render: price },
          { title: text('perCallPrice'), dataIndex: 'per_call', align: 'right', render: price },
          {
            title: text('groups'),
            dataIndex: 'enable_groups',
            render: (groups: string[]) => (
              <Space size={[0, 4]} wrap>
                {groups.map((group) => (
                  <Tag key={group}>{group}</Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
