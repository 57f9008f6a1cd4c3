import { DatePicker, Button, Form, Input, InputNumber, Select, Space, type GetProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LogScope } from '../../api/logs.js';
import { EMPTY_FILTERS, QUICK_RANGES, type LogFilterValues, type TimeRange } from './filters.js';

type Dates = GetProps<typeof DatePicker.RangePicker>['value'];
type RangeKey = 'all' | 'custom' | (typeof QUICK_RANGES)[number]['key'];

interface FormValues extends Partial<Omit<LogFilterValues, 'range'>> {
  rangeKey: RangeKey;
  dates?: Dates;
}

function toRange(rangeKey: RangeKey, dates: Dates | undefined): TimeRange {
  if (rangeKey === 'all') return { kind: 'all' };
  if (rangeKey === 'custom') {
    const [from, to] = dates ?? [];
    if (!from || !to) return { kind: 'all' };
    // Whole days: from the first day's midnight to the midnight after the last.
    return { kind: 'custom', start: from.startOf('day').unix(), end: to.add(1, 'day').startOf('day').unix() };
  }
  const quick = QUICK_RANGES.find((range) => range.key === rangeKey);
  return quick ? { kind: 'last', seconds: quick.seconds } : { kind: 'all' };
}

interface Props {
  initial: LogFilterValues;
  scope: LogScope;
  isAdmin: boolean;
  loading: boolean;
  onApply: (values: LogFilterValues) => void;
}

/** The log filter; it applies on Search (or Enter), so typing does not fire a query per key. */
export function LogFilters({ initial, scope, isAdmin, loading, onApply }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const rangeKey = Form.useWatch('rangeKey', form);
  const apply = (values: FormValues) => {
    // Fields not shown (provider for users, user id outside "everyone") are absent from the values.
    onApply({
      range: toRange(values.rangeKey, values.dates),
      model: values.model ?? '',
      provider: values.provider ?? '',
      tokenId: values.tokenId ?? null,
      userId: values.userId ?? null,
      status: values.status ?? 'all',
      stream: values.stream ?? 'all',
      requestId: values.requestId ?? '',
    });
  };
  const initialValues: FormValues = { ...initial, rangeKey: 'all' };
  const rangeOptions: Array<{ value: RangeKey; label: string }> = [
    { value: 'all', label: t('logs.filters.ranges.all') },
    ...QUICK_RANGES.map((range) => ({ value: range.key, label: t(`logs.filters.ranges.${range.key}`) })),
    { value: 'custom', label: t('logs.filters.ranges.custom') },
  ];

  return (
    <Form<FormValues> form={form} layout="inline" initialValues={initialValues} onFinish={apply} style={{ rowGap: 12 }}>
      <Form.Item name="rangeKey" label={t('logs.filters.range')}>
        <Select<RangeKey> style={{ width: 150 }} options={rangeOptions} />
      </Form.Item>
      {rangeKey === 'custom' && (
        <Form.Item name="dates">
          <DatePicker.RangePicker allowEmpty={[false, false]} />
        </Form.Item>
      )}
      <Form.Item name="model" label={t('logs.filters.model')}>
        <Input allowClear placeholder={t('logs.filters.modelPlaceholder')} style={{ width: 180 }} />
      </Form.Item>
      {isAdmin && (
        <Form.Item name="provider" label={t('logs.filters.provider')}>
          <Input allowClear placeholder={t('logs.filters.providerPlaceholder')} style={{ width: 180 }} />
        </Form.Item>
      )}
      <Form.Item name="tokenId" label={t('logs.filters.tokenId')}>
        <InputNumber min={1} precision={0} style={{ width: 100 }} />
      </Form.Item>
      {isAdmin && scope === 'all' && (
        <Form.Item name="userId" label={t('logs.filters.userId')}>
          <InputNumber min={1} precision={0} style={{ width: 100 }} />
        </Form.Item>
      )}
      <Form.Item name="status" label={t('logs.filters.status')}>
        <Select
          style={{ width: 100 }}
          options={(['all', 'success', 'error'] as const).map((value) => ({
            value,
            label: t(`logs.filters.statuses.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="stream" label={t('logs.filters.stream')}>
        <Select
          style={{ width: 90 }}
          options={(['all', 'true', 'false'] as const).map((value) => ({
            value,
            label: t(`logs.filters.streams.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="requestId" label={t('logs.filters.requestId')}>
        <Input allowClear style={{ width: 280 }} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={loading}>
            {t('logs.filters.apply')}
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue({ ...EMPTY_FILTERS, rangeKey: 'all', dates: undefined });
              onApply(EMPTY_FILTERS);
            }}
          >
            {t('logs.filters.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
