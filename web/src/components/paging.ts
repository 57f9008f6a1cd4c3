import type { TablePaginationConfig } from 'antd';
import { useState } from 'react';

/**
 * Server-side paging for a table: the page and its size, and antd's pagination settings for a
 * total. Changing the size goes back to the first page, as the old page may no longer exist.
 */
export function useServerPaging(defaultSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(defaultSize);
  const onChange = (next: number, size: number) => {
    setPage(size === pageSize ? next : 1);
    setPageSize(size);
  };
  const pagination = (total: number, showTotal?: (total: number) => string): TablePaginationConfig => ({
    current: page,
    pageSize,
    total,
    showSizeChanger: true,
    ...(showTotal ? { showTotal } : {}),
    onChange,
  });
  return { page, pageSize, setPage, onChange, pagination };
}
