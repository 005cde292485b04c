import type { ColumnType, Generated } from 'kysely';

export type SessionStage = 'mfa' | 'mfa_enroll' | 'password_change' | 'active';
export type SessionEndReason = 'logout' | 'idle' | 'expired' | 'revoked' | 'password_changed';

export interface IdentityTables {
  'identity.accounts': {
    id: string;
    username: string;
    display_name: string;
    /** A staff account's platform organisation; null for a market entity's account. */
    organisation_id: string | null;
    /** A market entity's account: the registered entity it acts for (registry). */
    entity_id: string | null;
    /** An evaluation expert's account: the expert of the pool it signs in as (experts). */
    expert_id: string | null;
    personnel_id: string | null;
    password_hash: string;
    password_changed_at: Date;
    must_change_password: boolean;
    status: 'active' | 'disabled';
    failed_attempts: Generated<number>;
    locked_until: Date | null;
    totp_secret_enc: string | null;
    totp_enabled: Generated<boolean>;
    totp_last_step: number | null;
    last_login_at: Date | null;
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
    /** A city's reference account of a province entity account (migration 0027): it never authenticates here. */
    home_node: ColumnType<string | null, string | null | undefined, string | null>;
  };
  'identity.sessions': {
    id: string;
    token_hash: string;
    account_id: string;
    stage: SessionStage;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    ended_at: Date | null;
    end_reason: SessionEndReason | null;
    client_ip: string | null;
    user_agent: string | null;
  };
  'identity.password_history': {
    account_id: string;
    password_hash: string;
    changed_at: Date;
  };
}
