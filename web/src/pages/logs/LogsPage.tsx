import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Segmented, Space, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import { useSearchParams } from 'react-router';
import { fetchLogs, type LogItem, type LogScope } from '../../api/logs.js';
import { useAuth } from '../../auth/AuthContext.js';
import { errorMessage } from '../../components/errors.js';
import { LogDetailDrawer } from './LogDetailDrawer.js';
import { LogFilters } from './LogFilters.js';
import { LogSummaryCards } from './LogSummaryCards.js';
import { LogTable } from './LogTable.js';
import { EMPTY_FILTERS, exportUrl, filtersFromSearch, filtersToParams, type LogFilterValues } from './filters.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The call log: a user's own requests, or everyone's for an admin, with a summary and CSV export. */
export default function LogsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useAuth();
  const [search] = useSearchParams();
  const [adminScope, setAdminScope] = useState<LogScope>('all');
  const scope: LogScope = isAdmin ? adminScope : 'self';
  const [filters, setFilters] = useState<LogFilterValues>(() => filtersFromSearch(search));
  /** Remounts the filter form when the filters are set from outside it (the drawer). */
  const [formKey, setFormKey] = useState(0);
  /** "The last hour" counts back from when the filter was applied or refreshed. */
  const [anchor, setAnchor] = useState(nowSeconds);
  const { page, pageSize, setPage, onChange } = useServerPaging();
  const [selected, setSelected] = useState<LogItem | null>(null);

  const params = useMemo(
    () => filtersToParams(filters, { scope, isAdmin, now: anchor }),
    [filters, scope, isAdmin, anchor],
  );
  const query = useQuery({
    queryKey: ['logs', scope, params, page, pageSize],
    queryFn: () => fetchLogs(scope, params, page, pageSize),
    placeholderData: keepPreviousData,
  });
  const filtered = Object.keys(params).length > 0;

  const apply = (values: LogFilterValues) => {
    setFilters(values);
    setAnchor(nowSeconds());
    setPage(1);
  };
  const refresh = () => {
    if (filters.range.kind === 'last') setAnchor(nowSeconds());
    else void query.refetch();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('logs.title')}
        </Typography.Title>
        <Space wrap>
          {isAdmin && (
            <Segmented<LogScope>
              value={adminScope}
              onChange={(value) => {
                setAdminScope(value);
                setPage(1);
              }}
              options={[
                { value: 'self', label: t('logs.scope.self') },
                { value: 'all', label: t('logs.scope.all') },
              ]}
            />
          )}
          <Button icon={<ReloadOutlined />} loading={query.isFetching} onClick={refresh}>
            {t('common.actions.refresh')}
          </Button>
          <Tooltip title={t('logs.exportHint')}>
            <Button
              data-testid="logs-export"
              icon={<DownloadOutlined />}
              href={exportUrl(scope, params)}
              download="usage-logs.csv"
            >
              {t('logs.export')}
            </Button>
          </Tooltip>
        </Space>
      </Flex>

      <Card size="small">
        <LogFilters
          key={formKey}
          initial={filters}
          scope={scope}
          isAdmin={isAdmin}
          loading={query.isFetching}
          onApply={apply}
        />
      </Card>

      {query.isError && (
        <Alert type="error" showIcon title={t('logs.loadFailed')} description={errorMessage(query.error, t)} />
      )}

      {query.data && <LogSummaryCards summary={query.data.summary} />}

      <Card size="small">
        <LogTable
          items={query.data?.items ?? []}
          total={query.data?.total ?? 0}
          page={page}
          pageSize={pageSize}
          loading={query.isFetching}
          showUser={scope === 'all'}
          filtered={filtered}
          onPage={onChange}
          onOpen={setSelected}
        />
      </Card>

      <LogDetailDrawer
        item={selected}
        onClose={() => setSelected(null)}
        onFilterRequest={(requestId) => {
          setSelected(null);
          setFormKey((key) => key + 1);
          apply({ ...EMPTY_FILTERS, requestId });
        }}
      />
    </Space>
  );
}
