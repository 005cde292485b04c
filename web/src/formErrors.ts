// Puts the `errors` of a problem+json answer on the form fields they name.
import type { FormInstance } from 'antd';
import { ApiError } from './api';

type NamePath = (string | number)[];

/** `body.grants.0.scope`, `/grants/0/scope` or `grants[0].scope` → ['grants', 0, 'scope']. */
export function fieldPath(field: string): NamePath {
  const cleaned = field.replace(/\[(\d+)\]/g, '.$1').replace(/^\/+/, '').replace(/^(body|query|params)[./]/, '');
  return cleaned
    .split(/[./]/)
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

export interface FieldErrorOutcome {
  /** Every message found a field: the caller need not repeat the error in a banner. */
  handled: boolean;
  /** Messages about fields the form does not show. */
  leftover: string[];
  /** The first field marked, to scroll to (a long form's error may be out of sight). */
  first?: NamePath;
}

/** Marks the fields named in the error with their Chinese messages. */
export function applyFieldErrors(form: FormInstance, error: unknown, fields: readonly string[]): FieldErrorOutcome {
  if (!(error instanceof ApiError)) return { handled: false, leftover: [] };
  const list =
    error.errors.length > 0
      ? error.errors
      : error.field
        ? [{ field: error.field, rule: '', message: error.detail }]
        : [];
  const known = new Set(fields);
  const messages = new Map<string, { name: NamePath; errors: string[] }>();
  const leftover: string[] = [];
  for (const item of list) {
    const name = fieldPath(item.field);
    const head = name[0];
    if (typeof head !== 'string' || !known.has(head)) {
      leftover.push(item.message);
      continue;
    }
    const key = name.join('.');
    const entry = messages.get(key) ?? { name, errors: [] };
    entry.errors.push(item.message);
    messages.set(key, entry);
  }
  if (messages.size > 0) form.setFields([...messages.values()]);
  const first = messages.values().next().value?.name;
  return { handled: list.length > 0 && leftover.length === 0, leftover, ...(first ? { first } : {}) };
}
