// Data hooks of the tender screens.
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import type { DealTimeline, MyEntity, Page, TenderProject } from '../types';

/** One project and its timeline, reloaded together after every step. */
export function useProject(id: string | undefined) {
  const [project, setProject] = useState<TenderProject | null>(null);
  const [timeline, setTimeline] = useState<DealTimeline>({ dealCode: null, events: [] });
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!id) return;
    let live = true;
    Promise.all([api.get<TenderProject>(`/api/v1/trading/projects/${id}`), api.get<DealTimeline>(`/api/v1/trading/projects/${id}/timeline`)])
      .then(([p, t]) => {
        if (!live) return;
        setProject(p);
        setTimeline(t);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      });
    return () => {
      live = false;
    };
  }, [id, tick]);
  return { project, setProject, timeline, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** The projects the signed-in entity is a party to (owner, tenderer or agency): `?mine=true`. */
export function useOwnProjects(entityId: string | null) {
  const [items, setItems] = useState<TenderProject[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!entityId) return;
    let live = true;
    setLoading(true);
    (async () => {
      const all: TenderProject[] = [];
      for (let page = 1; page <= 20; page++) {
        const answer = await api.get<Page<TenderProject>>('/api/v1/trading/projects', { mine: true, page, pageSize: 100 });
        all.push(...answer.items);
        if (answer.items.length === 0 || all.length >= answer.total) break;
      }
      return all;
    })()
      .then((mine) => {
        if (!live) return;
        setItems(mine);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [entityId, tick]);
  return { items, loading, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** Whether the signed-in entity is registered as an agency (招标代理机构). */
export function useIsAgency(): boolean {
  const [agency, setAgency] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .get<MyEntity>('/api/v1/registry/me')
      .then((me) => {
        if (live) setAgency(me.entity.roles.includes('agency'));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return agency;
}
