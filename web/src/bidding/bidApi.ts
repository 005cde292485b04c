// Requests of the bid screens that the shared client (../api.ts) does not cover: the sealed
// upload with progress (XMLHttpRequest, whose upload events fetch does not offer), the platform
// key, and reading the timeline and the bidder's own bids.
import { ApiError, api, listAll } from '../api';
import { base64url } from './money';
import type { DealEventItem, IntakeResult, MyBid, MyBidListItem, OpeningRow, PlatformKey, TenderLot, TenderProject, Timeline } from './types';

/** What the workbench declares as the sealing tool (x-bid-client; the submission fingerprint). */
export const BID_TOOL = { name: 'ggzy-workbench', version: '1.0' } as const;

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === 'ggzy_csrf') return decodeURIComponent(rest.join('='));
  }
  return null;
}

function problemOf(xhr: XMLHttpRequest): ApiError {
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = xhr.responseText ? JSON.parse(xhr.responseText) : {};
    if (typeof parsed === 'object' && parsed !== null) problem = parsed as Record<string, unknown>;
  } catch {
    // A proxy's error page: the status alone.
  }
  return new ApiError(xhr.status, problem);
}

/**
 * PUT …/bids/mine with the envelope as the body and the seals in x-bid-seals. `onProgress` gets
 * the bytes sent; the answer (the signed receipt) comes only after the server has the whole file.
 */
export function uploadSealedBid(lotId: string, envelope: Blob, seals: { sealingKeyId: string; sealedKey: string }[], onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<IntakeResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/v1/trading/lots/${lotId}/bids/mine`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('x-bid-seals', base64url(JSON.stringify(seals)));
    xhr.setRequestHeader('x-bid-client', `${BID_TOOL.name}/${BID_TOOL.version}`);
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : envelope.size);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          resolve(JSON.parse(xhr.responseText) as IntakeResult);
        } catch {
          reject(new ApiError(xhr.status, { detail: '服务器的回执无法解析' }));
        }
      } else reject(problemOf(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, {}));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(envelope);
  });
}

let platformKey: Promise<PlatformKey> | null = null;

/** The platform's SM2 signing key (receipts are verified against it), read once per page load. */
export function getPlatformKey(): Promise<PlatformKey> {
  platformKey ??= api.get<PlatformKey>('/api/v1/public/platform-key').catch((e: unknown) => {
    platformKey = null;
    throw e;
  });
  return platformKey;
}

export const myBidPath = (lotId: string) => `/api/v1/trading/lots/${lotId}/bids/mine`;

/** The published tender documents, from the timeline (the project answer carries none). */
export function documentsOf(events: DealEventItem[]): { id: string; fileName: string; sm3: string; size: number }[] {
  const seen = new Map<string, { id: string; fileName: string; sm3: string; size: number }>();
  for (const e of events) {
    if (e.type !== 'documents_published') continue;
    const docs = e.payload.documents;
    if (!Array.isArray(docs)) continue;
    for (const d of docs as { id: string; fileName: string; sm3: string; size: number }[]) seen.set(d.id, d);
  }
  return [...seen.values()];
}

/** The opening record of a lot once published (the `opening_published` event), or null. */
export function openingOf(events: DealEventItem[], lotCode: string | null): { at: string; rows: OpeningRow[]; documentSm3: string | null } | null {
  const e = events.find((x) => x.type === 'opening_published' && x.lotCode === lotCode);
  if (!e) return null;
  const rows = Array.isArray(e.payload.bids) ? (e.payload.bids as OpeningRow[]) : [];
  return { at: e.occurredAt, rows, documentSm3: typeof e.payload.documentSm3 === 'string' ? e.payload.documentSm3 : null };
}

/** The end of a lot's decryption window, as the opening announced it (or null before the opening). */
export function decryptionClosesAt(events: DealEventItem[], lotCode: string | null): string | null {
  const e = events.find((x) => x.type === 'opening_started' && x.lotCode === lotCode);
  return e && typeof e.payload.decryptionClosesAt === 'string' ? e.payload.decryptionClosesAt : null;
}

export function getTimeline(projectId: string): Promise<Timeline> {
  return api.get<Timeline>(`/api/v1/trading/projects/${projectId}/timeline`);
}

export interface PendingBid {
  project: TenderProject;
  lot: TenderLot;
  mine: MyBid;
}

const OPEN_LOT_STATES = new Set(['bidding', 'decrypting']);

/**
 * The entity's bids still waiting for the opening, with their seals: from the entity's own bid
 * list, then each such lot's bid and its project (few: one per lot still open).
 */
export async function pendingBids(): Promise<PendingBid[]> {
  const open = (await listAll<MyBidListItem>('/api/v1/trading/bids/mine')).filter((r) => r.bid.status === 'received' && OPEN_LOT_STATES.has(r.lotStatus));
  const projects = new Map<string, Promise<TenderProject>>();
  return Promise.all(
    open.map(async (r) => {
      if (!projects.has(r.projectId)) projects.set(r.projectId, api.get<TenderProject>(`/api/v1/trading/projects/${r.projectId}`));
      const [project, mine] = await Promise.all([projects.get(r.projectId)!, api.get<MyBid>(myBidPath(r.bid.lotId))]);
      const lot = project.lots.find((l) => l.id === r.bid.lotId);
      if (!lot) throw new ApiError(404, { detail: '标段不存在' });
      return { project, lot, mine };
    }),
  );
}

/** Offers text as a file download (the sealing key file). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
