// HTTP routes of sign-in and account administration. Thin: schema, access, one service call.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../platform/http/auth-guard.ts';
import { actorOf, contextOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import * as accounts from './identity.accounts.ts';
import * as s from './identity.schemas.ts';
import * as identity from './identity.service.ts';

const ANY_STAGE = ['mfa', 'mfa_enroll', 'password_change', 'active'] as const;

export function registerIdentityRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const sec = deps.config.security;
  const rateLimit = { max: sec.authRateLimitPerMinute, timeWindow: 60_000 };
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: sec.cookieSecure, maxAge: sec.sessionMaxHours * 3600 };

  function clearCookies(reply: FastifyReply): void {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: { public: true }, rateLimit },
      schema: { tags: ['认证'], summary: '用户名口令登录', body: s.LoginBody, response: { 200: s.LoginReply, ...STANDARD_ERRORS } },
    },
    async (request, reply) => {
      const r = await identity.login(deps, contextOf(request), request.body.username, request.body.password);
      if (request.body.tokenType === 'bearer') {
        return { stage: r.stage, csrfToken: r.csrfToken, token: r.token, expiresAt: r.expiresAt.toISOString() };
      }
      void reply.setCookie(SESSION_COOKIE, r.token, { ...cookieBase, httpOnly: true }).setCookie(CSRF_COOKIE, r.csrfToken, { ...cookieBase, httpOnly: false });
      return { stage: r.stage, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/mfa/verify',
    { config: { auth: { stages: ['mfa'] }, rateLimit }, schema: { tags: ['认证'], summary: '校验动态验证码', body: s.CodeBody, response: { 200: s.StageReply, ...STANDARD_ERRORS } } },
    async (request) => ({ stage: await identity.verifySecondFactor(deps, actorOf(request), request.body.code) }),
  );

  app.post(
    '/api/v1/auth/mfa/enroll',
    { config: { auth: { stages: ['mfa_enroll'] }, rateLimit }, schema: { tags: ['认证'], summary: '获取动态验证码绑定密钥（仅显示一次）', response: { 200: s.EnrolReply, ...STANDARD_ERRORS } } },
    async (request) => identity.startEnrolment(deps, actorOf(request)),
  );

  app.post(
    '/api/v1/auth/mfa/enroll/confirm',
    { config: { auth: { stages: ['mfa_enroll'] }, rateLimit }, schema: { tags: ['认证'], summary: '确认绑定动态验证码', body: s.CodeBody, response: { 200: s.StageReply, ...STANDARD_ERRORS } } },
    async (request) => ({ stage: await identity.confirmEnrolment(deps, actorOf(request), request.body.code) }),
  );

  app.post(
    '/api/v1/auth/password',
    { config: { auth: { stages: ['password_change', 'active'] }, rateLimit }, schema: { tags: ['认证'], summary: '修改本人密码', body: s.PasswordBody, response: { 200: s.StageReply, ...STANDARD_ERRORS } } },
    async (request) => ({ stage: await identity.changePassword(deps, actorOf(request), request.body.currentPassword, request.body.newPassword) }),
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { auth: { stages: ANY_STAGE } }, schema: { tags: ['认证'], summary: '退出登录', response: { 204: Type.Null(), ...STANDARD_ERRORS } } },
    async (request, reply) => {
      await identity.logout(deps, actorOf(request));
      clearCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { auth: { stages: ANY_STAGE } }, schema: { tags: ['认证'], summary: '当前用户', response: { 200: s.Me, ...STANDARD_ERRORS } } },
    // Answered from the resolved session alone: no query beyond the session's own.
    async (request) => identity.meOf(deps, actorOf(request).principal),
  );

  // ---- account administration ----

  app.get(
    '/api/v1/accounts',
    { config: { auth: { permission: 'identity.account.read' } }, schema: { tags: ['用户账号'], summary: '账号列表', querystring: s.AccountListQuery, response: { 200: Page(s.Account), ...STANDARD_ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await accounts.listAccounts(deps, actorOf(request), { ...request.query, page, pageSize });
      return { items: r.items.map(s.mapAccount), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/accounts',
    { config: { auth: { permission: 'identity.account.write' } }, schema: { tags: ['用户账号'], summary: '新建账号（首次登录须修改密码）', body: s.AccountCreate, response: { 201: s.Account, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapAccount(await accounts.createAccount(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/accounts/:id',
    { config: { auth: { permission: 'identity.account.read' } }, schema: { tags: ['用户账号'], summary: '账号详情', params: IdParams, response: { 200: s.Account, ...STANDARD_ERRORS } } },
    async (request) => s.mapAccount(await accounts.getAccount(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/accounts/:id',
    { config: { auth: { permission: 'identity.account.write' } }, schema: { tags: ['用户账号'], summary: '修改账号（姓名、启用/停用）', params: IdParams, body: s.AccountPatch, response: { 200: s.Account, ...STANDARD_ERRORS } } },
    async (request) => s.mapAccount(await accounts.updateAccount(deps, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/accounts/:id/reset-password',
    { config: { auth: { permission: 'identity.account.write' } }, schema: { tags: ['用户账号'], summary: '重置密码（临时密码，须在登录后修改）', params: IdParams, body: s.ResetPasswordBody, response: { 204: Type.Null(), ...STANDARD_ERRORS } } },
    async (request, reply) => {
      await accounts.resetPassword(deps, actorOf(request), request.params.id, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/accounts/:id/roles',
    { config: { auth: { permission: 'identity.account.grant' } }, schema: { tags: ['用户账号'], summary: '分配角色与数据范围', params: IdParams, body: s.GrantsBody, response: { 200: s.Account, ...STANDARD_ERRORS } } },
    async (request) => s.mapAccount(await accounts.setGrants(deps, actorOf(request), request.params.id, request.body.grants)),
  );

  app.post(
    '/api/v1/accounts/:id/unlock',
    { config: { auth: { permission: 'identity.account.unlock' } }, schema: { tags: ['用户账号'], summary: '解锁账号', params: IdParams, response: { 204: Type.Null(), ...STANDARD_ERRORS } } },
    async (request, reply) => {
      await accounts.unlockAccount(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/accounts/:id/reset-mfa',
    { config: { auth: { permission: 'identity.account.unlock' } }, schema: { tags: ['用户账号'], summary: '重置双因素认证', params: IdParams, response: { 204: Type.Null(), ...STANDARD_ERRORS } } },
    async (request, reply) => {
      await accounts.resetSecondFactor(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

