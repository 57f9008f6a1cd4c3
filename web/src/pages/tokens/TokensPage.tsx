import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, Space, Table, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerPaging } from '../../components/paging.js';
import { TOKENS_QUERY_KEY, tokensApi, type AggToken, type AggTokenBody } from '../../api/tokens.js';
import { errorMessage } from '../../components/errors.js';
import { KeyModal, type ShownKey } from './KeyModal.js';
import { tokenColumns } from './tokenColumns.js';
import { TokenFormModal } from './TokenFormModal.js';
import { DISABLED, ENABLED } from './tokenForm.js';

/** The caller's own `ag-` keys: list, create (key shown once), edit, reveal, delete. */
export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { page, pageSize, setPage, pagination } = useServerPaging();
  const [keyword, setKeyword] = useState('');
  const [form, setForm] = useState<{ open: boolean; token: AggToken | null }>({ open: false, token: null });
  const [shown, setShown] = useState<ShownKey | null>(null);

  const list = useQuery({
    queryKey: [...TOKENS_QUERY_KEY, page, pageSize, keyword],
    queryFn: () => tokensApi.list(page, pageSize, keyword || undefined),
    placeholderData: keepPreviousData,
  });
  const invalidate = () => client.invalidateQueries({ queryKey: TOKENS_QUERY_KEY });
  const fail = (error: unknown) => void message.error(errorMessage(error, t));

  const save = useMutation({
    mutationFn: ({ token, body }: { token: AggToken | null; body: AggTokenBody }) =>
      token ? tokensApi.update(token.id, body) : tokensApi.create(body),
    onSuccess: (saved, { token }) => {
      setForm((current) => ({ ...current, open: false }));
      if (token) void message.success(t('tokens.saved'));
      else setShown({ key: saved.key, token: saved, created: true });
      return invalidate();
    },
  });
  const toggle = useMutation({
    mutationFn: ({ token, enabled }: { token: AggToken; enabled: boolean }) =>
      tokensApi.update(token.id, { status: enabled ? ENABLED : DISABLED }),
    onSuccess: () => invalidate(),
    onError: fail,
  });
  const reveal = useMutation({
    mutationFn: async (token: AggToken) => ({ token, key: await tokensApi.reveal(token.id) }),
    onSuccess: ({ token, key }) => setShown({ token, key, created: false }),
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (token: AggToken) => tokensApi.remove(token.id),
    onSuccess: () => {
      void message.success(t('tokens.deleted'));
      return invalidate();
    },
    onError: fail,
  });

  const openCreate = () => setForm({ open: true, token: null });
  const pendingId = (mutation: { isPending: boolean; variables?: AggToken | { token: AggToken } }) =>
    mutation.isPending && mutation.variables
      ? ('token' in mutation.variables ? mutation.variables.token : mutation.variables).id
      : null;
  const columns = tokenColumns(t, {
    busy: { toggle: pendingId(toggle), reveal: pendingId(reveal), remove: pendingId(remove) },
    onToggle: (token, enabled) => toggle.mutate({ token, enabled }),
    onEdit: (token) => setForm({ open: true, token }),
    onReveal: (token) => reveal.mutate(token),
    onDelete: (token) => remove.mutate(token),
  });
  // Deleting the last token of a later page leaves that page empty: step back.
  const emptyLaterPage = page > 1 && list.data?.items.length === 0 && !list.isFetching;
  useEffect(() => {
    if (emptyLaterPage) setPage((current) => current - 1);
  }, [emptyLaterPage]);
  const nothingYet = list.data?.total === 0 && !keyword && page === 1;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('tokens.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('tokens.subtitle')}</Typography.Text>
      </div>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="token-add">
          {t('tokens.add')}
        </Button>
        <Input.Search
          allowClear
          placeholder={t('tokens.searchPlaceholder')}
          onSearch={(value) => {
            setKeyword(value.trim());
            setPage(1);
          }}
          style={{ width: 260 }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
          {t('common.actions.refresh')}
        </Button>
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error, t)} data-testid="tokens-error" />}
      {nothingYet ? (
        <Card>
          <Empty description={t('tokens.empty')}>
            <Button type="primary" icon={<PlusOutlined />} onClick={openCreate}>
              {t('tokens.add')}
            </Button>
          </Empty>
        </Card>
      ) : (
        <Table<AggToken>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('tokens.noMatch') }}
          onRow={(token) => ({ 'data-testid': `token-row-${token.name}` }) as HTMLAttributes<HTMLElement>}
          pagination={pagination(list.data?.total ?? 0, (total) => t('tokens.total', { count: total }))}
        />
      )}
      <TokenFormModal
        open={form.open}
        token={form.token}
        onSubmit={(body) => save.mutateAsync({ token: form.token, body })}
        onClose={() => setForm((current) => ({ ...current, open: false }))}
      />
      <KeyModal shown={shown} onClose={() => setShown(null)} />
    </Space>
  );
}
