// Data hooks shared by the administration screens.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, asPage, errorText, listAll, type Query } from './api';
import type { Organisation, Page, Region } from './types';

export interface PagedList<T> {
  items: T[];
  total: number;
  /** The server stopped counting (`more`): `total` is a lower bound. */
  more: boolean;
  loading: boolean;
  error: string | null;
  /** The rule the last refusal named, if it named one. */
  errorRule: string | null;
  page: number;
  pageSize: number;
  filters: Query;
  setFilters: (filters: Query) => void;
  setPage: (page: number, pageSize: number) => void;
  reload: () => void;
}

/** A server-paged list: `{items, total, page, pageSize}` with `page` and `pageSize` in the query. */
export function usePagedList<T>(path: string, initialFilters: Query = {}, initialPageSize = 20): PagedList<T> {
  const [query, setQuery] = useState({ filters: initialFilters, page: 1, pageSize: initialPageSize });
  const [tick, setTick] = useState(0);
  const [data, setData] = useState<Page<T> & { more?: boolean }>({ items: [], total: 0, page: 1, pageSize: initialPageSize });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<{ text: string; rule: string | null } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<Page<T> | T[]>(path, { ...query.filters, page: query.page, pageSize: query.pageSize }, { signal: controller.signal })
      .then((answer) => {
        setData(asPage(answer));
        setError(null);
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        setError({ text: errorText(cause), rule: cause instanceof ApiError ? (cause.rule ?? null) : null });
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, query, tick]);

  return {
    items: data.items,
    total: data.total,
    more: data.more === true,
    loading,
    error: error?.text ?? null,
    errorRule: error?.rule ?? null,
    page: query.page,
    pageSize: query.pageSize,
    filters: query.filters,
    setFilters: useCallback((filters: Query) => setQuery((q) => ({ ...q, filters, page: 1 })), []),
    setPage: useCallback((page: number, pageSize: number) => setQuery((q) => ({ ...q, page, pageSize })), []),
    reload: useCallback(() => setTick((t) => t + 1), []),
  };
}

/** Table pagination props bound to a paged list. */
export function paginationOf<T>(list: PagedList<T>) {
  return {
    current: list.page,
    pageSize: list.pageSize,
    total: list.total,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    showTotal: (total: number) => `共 ${total} 条`,
    onChange: list.setPage,
  };
}

/** Loads a whole (small) list once, e.g. organisations or roles for a select. */
export function useAll<T>(path: string, query: Query = {}, enabled = true) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setLoading(true);
    listAll<T>(path, JSON.parse(key) as Query)
      .then((all) => {
        if (!live) return;
        setItems(all);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (live) setError(cause instanceof ApiError ? cause : new ApiError(0, {}));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [path, key, enabled, tick]);

  return { items, loading, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export type TreeNode<T> = T & { children?: TreeNode<T>[] };

/** Nests a flat list by parent id; items whose parent is not in the list become roots. */
export function buildTree<T, K extends string>(items: T[], id: (item: T) => K, parent: (item: T) => K | null): TreeNode<T>[] {
  const nodes = new Map<K, TreeNode<T>>();
  for (const item of items) nodes.set(id(item), { ...item } as TreeNode<T>);
  const roots: TreeNode<T>[] = [];
  for (const item of items) {
    const node = nodes.get(id(item));
    if (!node) continue;
    const parentId = parent(item);
    const parentNode = parentId !== null ? nodes.get(parentId) : undefined;
    if (parentNode && parentNode !== node) (parentNode.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

export interface SelectTreeNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: SelectTreeNode[];
}

/** Organisations in scope, flat and as TreeSelect data (inactive ones cannot be picked). */
export function useOrganisations(enabled = true) {
  const all = useAll<Organisation>('/api/v1/organisations', {}, enabled);
  const treeData = useMemo(() => {
    const toSelect = (node: TreeNode<Organisation>): SelectTreeNode => ({
      value: node.id,
      title: node.status === 'inactive' ? `${node.name}（已停用）` : node.name,
      disabled: node.status === 'inactive',
      ...(node.children ? { children: node.children.map(toSelect) } : {}),
    });
    return buildTree(all.items, (o) => o.id, (o) => o.parentId).map(toSelect);
  }, [all.items]);
  return { ...all, treeData };
}

/** The region table (GB/T 2260) as TreeSelect data. */
export function useRegions(enabled = true) {
  const [regions, setRegions] = useState<Region[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api
      .get<Page<Region> | Region[]>('/api/v1/regions')
      .then((answer) => {
        if (live) setRegions(asPage(answer).items);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      });
    return () => {
      live = false;
    };
  }, [enabled]);
  const treeData = useMemo(() => {
    const toSelect = (node: TreeNode<Region>): SelectTreeNode => ({
      value: node.code,
      title: `${node.name}（${node.code}）`,
      ...(node.children ? { children: node.children.map(toSelect) } : {}),
    });
    return buildTree(regions, (r) => r.code, (r) => r.parentCode ?? null).map(toSelect);
  }, [regions]);
  return { regions, treeData, error };
}
