// The permission catalogue as checkboxes grouped by `group`, with each administrator permission
// marked by its class (a role may hold permissions of one administrator class only).
import { Checkbox, Empty, Tag, Typography } from 'antd';
import { ADMIN_CLASS_LABELS } from '../format';
import type { AdminClass, Permission } from '../types';

const CLASS_COLORS: Record<AdminClass, string> = { system: 'blue', security: 'volcano', audit: 'purple' };

export function AdminClassTag({ adminClass }: { adminClass: AdminClass | null | undefined }) {
  if (!adminClass) return null;
  return <Tag color={CLASS_COLORS[adminClass]}>{ADMIN_CLASS_LABELS[adminClass]}</Tag>;
}

/** The administrator classes the chosen permissions belong to. */
export function adminClassesOf(codes: readonly string[], catalogue: readonly Permission[]): AdminClass[] {
  const chosen = new Set(codes);
  const classes = new Set<AdminClass>();
  for (const p of catalogue) if (p.adminClass && chosen.has(p.code)) classes.add(p.adminClass);
  return [...classes];
}

interface Props {
  catalogue: Permission[];
  value?: string[];
  onChange?: (value: string[]) => void;
  disabled?: boolean;
}

export function PermissionPicker({ catalogue, value = [], onChange, disabled }: Props) {
  if (catalogue.length === 0) return <Empty description="权限目录为空或无权查看" />;
  const groups = new Map<string, Permission[]>();
  for (const p of catalogue) {
    const list = groups.get(p.group) ?? [];
    list.push(p);
    groups.set(p.group, list);
  }
  const chosen = new Set(value);

  const setGroup = (codes: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const code of codes) {
      if (on) next.add(code);
      else next.delete(code);
    }
    onChange?.(catalogue.map((p) => p.code).filter((c) => next.has(c)));
  };

  return (
    <div className="permission-picker">
      {[...groups.entries()].map(([group, perms]) => {
        const codes = perms.map((p) => p.code);
        const count = codes.filter((c) => chosen.has(c)).length;
        return (
          <fieldset key={group} className="permission-group">
            <legend>
              <Checkbox
                checked={count === codes.length}
                indeterminate={count > 0 && count < codes.length}
                disabled={disabled}
                onChange={(e) => setGroup(codes, e.target.checked)}
              >
                <Typography.Text strong>{group}</Typography.Text>
              </Checkbox>
            </legend>
            <div className="permission-items">
              {perms.map((p) => (
                <Checkbox
                  key={p.code}
                  checked={chosen.has(p.code)}
                  disabled={disabled}
                  onChange={(e) => setGroup([p.code], e.target.checked)}
                >
                  <span title={p.code}>{p.name}</span> <AdminClassTag adminClass={p.adminClass} />
                </Checkbox>
              ))}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
