// Between the API's profile (ProfileView, clear values for the entity's own users) and the
// values of the profile form, and from the form to the body of PUT /api/v1/registry/me/draft
// (ProfileInput). Item ids are kept, so a re-saved qualification stays the same record.
import dayjs, { type Dayjs } from 'dayjs';
import type { EntityRole, FileRef, KeyPersonRole, ProfileView } from '../types';

export interface ProfileValues {
  name: string;
  regionCode?: string;
  roles: EntityRole[];
  entityType?: string;
  registeredCapitalWanYuan?: number | null;
  establishedOn?: Dayjs | null;
  address?: string;
  businessScope?: string;
  legalRepresentative?: { name?: string; idNumber?: string };
  contacts: { name?: string; phone?: string; email?: string }[];
  bankAccount?: { bankName?: string; accountName?: string; number?: string };
  qualifications: { id?: string; category?: string; grade?: string; number?: string; issuer?: string; validFrom?: Dayjs | null; validTo?: Dayjs | null }[];
  certificates: { id?: string; kind?: string; number?: string; issuer?: string; validTo?: Dayjs | null; file?: FileRef | null }[];
  keyPersonnel: {
    id?: string;
    name?: string;
    role?: KeyPersonRole;
    idNumber?: string;
    certificateKind?: string;
    certificateNumber?: string;
    certificateValidTo?: Dayjs | null;
  }[];
}

/** Top-level names the server may report errors on (its paths: `contacts.0.phone` …). */
export const PROFILE_FIELDS = [
  'name',
  'regionCode',
  'roles',
  'entityType',
  'registeredCapitalWanYuan',
  'establishedOn',
  'address',
  'businessScope',
  'legalRepresentative',
  'contacts',
  'bankAccount',
  'qualifications',
  'certificates',
  'keyPersonnel',
] as const;

const day = (v: string | null | undefined) => (v ? dayjs(v) : null);
const text = (v: Dayjs | null | undefined) => (v ? v.format('YYYY-MM-DD') : undefined);
const trim = (v: string | undefined) => {
  const t = (v ?? '').trim();
  return t === '' ? undefined : t;
};

export function toValues(p: ProfileView): ProfileValues {
  return {
    name: p.name,
    regionCode: p.regionCode || undefined,
    roles: p.roles,
    entityType: p.entityType ?? undefined,
    registeredCapitalWanYuan: p.registeredCapitalWanYuan,
    establishedOn: day(p.establishedOn),
    address: p.address,
    businessScope: p.businessScope ?? undefined,
    legalRepresentative: p.legalRepresentative ? { name: p.legalRepresentative.name, idNumber: p.legalRepresentative.idNumber ?? undefined } : {},
    contacts: p.contacts.length > 0 ? p.contacts.map((c) => ({ name: c.name, phone: c.phone, email: c.email ?? undefined })) : [{}],
    bankAccount: p.bankAccount ?? {},
    qualifications: p.qualifications.map((q) => ({ ...q, validFrom: day(q.validFrom), validTo: day(q.validTo) })),
    certificates: p.certificates.map((c) => ({ ...c, validTo: day(c.validTo) })),
    keyPersonnel: p.keyPersonnel.map((k) => ({ ...k, certificateValidTo: day(k.certificateValidTo) })),
  };
}

/** Drops undefined members: the API refuses unknown or null members of optional fields. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function toInput(v: ProfileValues): Record<string, unknown> {
  const lr = v.legalRepresentative ?? {};
  const bank = v.bankAccount ?? {};
  const bankFilled = [bank.bankName, bank.accountName, bank.number].some((x) => trim(x) !== undefined);
  return clean({
    name: v.name.trim(),
    regionCode: v.regionCode,
    roles: v.roles ?? [],
    entityType: trim(v.entityType),
    registeredCapitalWanYuan: v.registeredCapitalWanYuan ?? undefined,
    establishedOn: text(v.establishedOn),
    address: (v.address ?? '').trim(),
    businessScope: trim(v.businessScope),
    legalRepresentative: trim(lr.name) !== undefined || trim(lr.idNumber) !== undefined ? clean({ name: (lr.name ?? '').trim(), idNumber: trim(lr.idNumber)?.toUpperCase() }) : undefined,
    contacts: (v.contacts ?? []).map((c) => clean({ name: (c.name ?? '').trim(), phone: (c.phone ?? '').trim(), email: trim(c.email) })),
    bankAccount: bankFilled ? { bankName: (bank.bankName ?? '').trim(), accountName: (bank.accountName ?? '').trim(), number: (bank.number ?? '').trim() } : undefined,
    qualifications: (v.qualifications ?? []).map((q) =>
      clean({
        id: q.id,
        category: (q.category ?? '').trim(),
        grade: (q.grade ?? '').trim(),
        number: (q.number ?? '').trim(),
        issuer: (q.issuer ?? '').trim(),
        validFrom: text(q.validFrom) ?? '',
        validTo: text(q.validTo) ?? '',
      }),
    ),
    certificates: (v.certificates ?? []).map((c) =>
      clean({
        id: c.id,
        kind: (c.kind ?? '').trim(),
        number: (c.number ?? '').trim(),
        issuer: (c.issuer ?? '').trim(),
        validTo: text(c.validTo),
        file: c.file ?? undefined,
      }),
    ),
    keyPersonnel: (v.keyPersonnel ?? []).map((k) =>
      clean({
        id: k.id,
        name: (k.name ?? '').trim(),
        role: k.role,
        idNumber: (k.idNumber ?? '').trim().toUpperCase(),
        certificateKind: (k.certificateKind ?? '').trim(),
        certificateNumber: (k.certificateNumber ?? '').trim(),
        certificateValidTo: text(k.certificateValidTo),
      }),
    ),
  });
}
