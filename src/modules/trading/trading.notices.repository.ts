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
