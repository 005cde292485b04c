// SQL of notices, documents, downloads, clarifications and objections.

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { TradingTables } from './trading.tables.ts';

export type NoticeRow = Selectable<TradingTables['trading.notices']>;
export type DocumentRow = Selectable<TradingTables['trading.documents']>;
export type ClarificationRow = Selectable<TradingTables['trading.clarifications']>;
export type ObjectionRow = Selectable<TradingTables['trading.objections']>;

export async function insertNotice(db: Db, row: Insertable<TradingTables['trading.notices']>): Promise<void> {
  await db.insertInto('trading.notices').values(row).execute();
}

/**
 * A published notice as the deal event that publishes it carries it (`payload.notice`): the
 * public text and its references, so that consumers (the portal, the data exchange) never read
 * trading's tables. Everything here is public the moment the notice is.
 */
export interface PublicNotice {
  id: string;
  kind: NoticeRow['kind'];
  title: string;
  body: string;
  lotCode: string | null;
  /** The earlier notice this one changes or corrects (an amendment names the tender notice). */
  correctsId: string | null;
  /** SM3 of the signed document published with the notice (PDF), when there is one. */
  documentSm3: string | null;
  publishedAt: string;
}

export function publicNotice(row: Pick<NoticeRow, 'id' | 'kind' | 'title' | 'body' | 'corrects_id' | 'document_digest' | 'published_at'>, lotCode: string | null): PublicNotice {
  if (!row.published_at) throw new Error(`notice ${row.id} is not published`);
  return { id: row.id, kind: row.kind, title: row.title, body: row.body, lotCode, correctsId: row.corrects_id, documentSm3: row.document_digest, publishedAt: row.published_at.toISOString() };
}

/** The project's published tender notice (the one an amendment changes). */
export async function publishedTenderNotice(db: Db, projectId: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('trading.notices').selectAll().where('project_id', '=', projectId).where('kind', '=', 'tender').where('status', '=', 'published').orderBy('published_at', 'desc').limit(1).executeTakeFirst();
}

/** The project's tender notice that is not published yet (draft, submitted or rejected). */
export async function openTenderNotice(db: Db, projectId: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('trading.notices').selectAll().where('project_id', '=', projectId).where('kind', '=', 'tender').where('status', '!=', 'published').executeTakeFirst();
}

export async function updateNotice(db: Db, id: string, from: NoticeRow['status'], change: Updateable<TradingTables['trading.notices']>): Promise<NoticeRow | undefined> {
  return db
    .updateTable('trading.notices')
    .set({ ...change, version: (eb) => eb('version', '+', 1) })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export async function noticesOf(db: Db, projectId: string): Promise<NoticeRow[]> {
  return db.selectFrom('trading.notices').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

export async function insertDocument(db: Db, row: Insertable<TradingTables['trading.documents']>): Promise<void> {
  await db.insertInto('trading.documents').values(row).execute();
}

export async function deleteUnpublishedDocuments(db: Db, projectId: string, kind: DocumentRow['kind']): Promise<void> {
  await db.deleteFrom('trading.documents').where('project_id', '=', projectId).where('kind', '=', kind).where('published_at', 'is', null).execute();
}

export async function documentsOf(db: Db, projectId: string): Promise<DocumentRow[]> {
  return db.selectFrom('trading.documents').selectAll().where('project_id', '=', projectId).orderBy('uploaded_at').orderBy('id').execute();
}

export async function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('trading.documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function publishDocuments(db: Db, projectId: string, at: Date): Promise<DocumentRow[]> {
  return db.updateTable('trading.documents').set({ published_at: at }).where('project_id', '=', projectId).where('published_at', 'is', null).returningAll().execute();
}

export async function insertDownload(db: Db, row: Insertable<TradingTables['trading.downloads']>): Promise<void> {
  await db.insertInto('trading.downloads').values(row).execute();
}

export async function hasDownloaded(db: Db, projectId: string, entityId: string): Promise<boolean> {
  return (await db.selectFrom('trading.downloads').select('id').where('project_id', '=', projectId).where('entity_id', '=', entityId).limit(1).executeTakeFirst()) !== undefined;
}

export async function insertClarification(db: Db, row: Insertable<TradingTables['trading.clarifications']>): Promise<void> {
  await db.insertInto('trading.clarifications').values(row).execute();
}

export async function clarificationsOf(db: Db, projectId: string): Promise<ClarificationRow[]> {
  return db.selectFrom('trading.clarifications').selectAll().where('project_id', '=', projectId).orderBy('number').execute();
}

export async function insertObjection(db: Db, row: Insertable<TradingTables['trading.objections']>): Promise<void> {
  await db.insertInto('trading.objections').values(row).execute();
}

export async function findObjection(db: Db, id: string): Promise<ObjectionRow | undefined> {
  return db.selectFrom('trading.objections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function answerObjection(db: Db, id: string, change: { reply: string; replied_by: string; replied_at: Date }): Promise<ObjectionRow | undefined> {
  return db.updateTable('trading.objections').set(change).where('id', '=', id).where('replied_at', 'is', null).returningAll().executeTakeFirst();
}

export async function objectionsOf(db: Db, projectId: string): Promise<ObjectionRow[]> {
  return db.selectFrom('trading.objections').selectAll().where('project_id', '=', projectId).orderBy('filed_at').execute();
}

export async function openObjectionCount(db: Db, projectId: string, subject: ObjectionRow['subject']): Promise<number> {
  const r = await db.selectFrom('trading.objections').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).where('subject', '=', subject).where('replied_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
