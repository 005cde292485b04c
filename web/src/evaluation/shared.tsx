// Shared pieces of the screens after the opening: money and codes for display, the law's
// timetable as hints, downloads of protected files, and data hooks that read one lot's steps.
//
// The hints count days with the platform's own calendar (src/platform/calendar, the holiday data
// the server counts with) and the numbers of DEFAULT_TENDER_RULES
// (src/modules/trading/trading.schedule.ts). They only explain: the server checks again, and its
// refusal is what the screens show.
import { useCallback, useEffect, useState } from 'react';
import { Tag } from 'antd';
import { ApiError, api, errorText, fetchObjectUrl } from '../api';
import { addDays, chinaDate, endOfChinaDayExclusive, periodEnd } from '../../../src/platform/calendar/china-calendar';
import type { Award, Candidates, Contract, Evaluation, LotStatus, ProjectSummary } from './types';

/** The law's numbers these screens explain (DEFAULT_TENDER_RULES in trading.schedule.ts). */
export const AWARD_RULES = {
  /** 实施条例第五十四条: candidates published within 3 days of the report… */
  publicationDays: 3,
  /** …for at least 3 days. */
  publicityMinDays: 3,
  /** 实施条例第五十四条: objections answered within 3 days. */
  objectionReplyDays: 3,
  /** 工程建设项目施工招标投标办法第五十八条: award within 15 days of the report. */
  awardWithinDays: 15,
  /** 招标投标法第四十六条: contract within 30 days of the award notice. */
  contractWithinDays: 30,
  /** 实施条例第五十七条: securities returned within 5 days of the contract. */
  securityRefundDays: 5,
  /** 招标投标法实施条例第四十六条 / 评标委员会和评标方法暂行规定第九条: 5 or more, an odd number. */
  panelMinMembers: 5,
} as const;

/** The last day of a period of `days` counted from the day after `from` (moved past rest days). */
export function lastDayAfter(from: string | Date, days: number): string {
  return periodEnd(chinaDate(typeof from === 'string' ? new Date(from) : from), days).date;
}

/** The first day the award may be made: the day after the publicity's last day. */
export function awardOpensOn(publicityUntil: string): string {
  return addDays(chinaDate(new Date(Date.parse(publicityUntil) - 1)), 1);
}

/** The instant at which the publicity is over (start of the day after its last day). */
export function publicityOverAt(publicityUntil: string): Date {
  return endOfChinaDayExclusive(chinaDate(new Date(Date.parse(publicityUntil) - 1)));
}

/** 17:00 CST of a day (YYYY-MM-DD), as an ISO instant: the usual end of a publicity. */
export function fivePmOf(day: string): string {
  return new Date(`${day}T17:00:00+08:00`).toISOString();
}

export { chinaDate };

/** `12,345.67` from integer fen. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** A stored deal or lot code in its display form: `USCC-yyyyMMdd-NNNNNN-C(-NNN)`. */
export function codeText(code: string | null | undefined): string {
  if (!code) return '—';
  const base = `${code.slice(0, 18)}-${code.slice(18, 26)}-${code.slice(26, 32)}-${code.slice(32, 33)}`;
  return code.length === 36 ? `${base}-${code.slice(33)}` : base;
}

const LOT_STATUS_COLORS: Partial<Record<LotStatus, string>> = {
  opened: 'blue',
  evaluating: 'processing',
  evaluated: 'cyan',
  publicity: 'gold',
  awarded: 'green',
  contracted: 'green',
  closed: 'default',
  failed: 'red',
};

export function LotStatusTag({ status, name }: { status: LotStatus; name: string }) {
  return <Tag color={LOT_STATUS_COLORS[status] ?? 'default'}>{name}</Tag>;
}

/** Lot states from the opening on: the lot has something for these screens. */
export const AFTER_OPENING: ReadonlySet<LotStatus> = new Set(['opened', 'evaluating', 'evaluated', 'publicity', 'awarded', 'contracted', 'closed', 'failed']);

/** Reads a protected file and hands it to the browser as a download named `fileName`. */
export async function download(path: string, fileName: string): Promise<void> {
  const url = await fetchObjectUrl(path);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // Give the browser the moment it needs to start the download before the URL goes.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** GET that answers null for 404 (a step not taken yet) and throws anything else. */
async function optional<T>(path: string): Promise<T | null> {
  try {
    return await api.get<T>(path);
  } catch (cause) {
    if (cause instanceof ApiError && (cause.status === 404 || cause.status === 403)) return null;
    throw cause;
  }
}

/** The lot's project, in one request: the server finds it from the lot (and checks the caller may read it). */
async function projectOfLot(lotId: string): Promise<ProjectSummary> {
  return (await api.get<{ lotId: string; project: ProjectSummary }>(`/api/v1/trading/lots/${lotId}`)).project;
}

export interface LotSteps {
  project: ProjectSummary | null;
  evaluation: Evaluation | null;
  candidates: Candidates | null;
  award: Award | null;
  contract: Contract | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** One lot and everything after its opening, read again together after every step. */
export function useLotSteps(lotId: string | undefined): LotSteps {
  const [state, setState] = useState<Omit<LotSteps, 'reload'>>({ project: null, evaluation: null, candidates: null, award: null, contract: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!lotId) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    (async () => {
      const project = await projectOfLot(lotId);
      const base = `/api/v1/trading/lots/${lotId}`;
      const [evaluation, candidates, award, contract] = await Promise.all([
        optional<Evaluation>(`${base}/evaluation`),
        optional<Candidates>(`${base}/candidates`),
        optional<Award>(`${base}/award`),
        optional<Contract>(`${base}/contract`),
      ]);
      return { project, evaluation, candidates, award, contract };
    })()
      .then((r) => {
        if (live) setState({ ...r, error: null, loading: false });
      })
      .catch((cause: unknown) => {
        if (live) setState((s) => ({ ...s, error: errorText(cause), loading: false }));
      });
    return () => {
      live = false;
    };
  }, [lotId, tick]);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}
