// The `ggzy` command line: serve, migrate, seed --demo, user create-admin, audit verify, bid ….

import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { makeDeps, openConfiguredDatabase, prepareDatabase } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { verifyAuditChain } from './platform/audit/audit.ts';
import { cliAuditContext, createAccountDirect } from './modules/identity/identity.bootstrap.ts';
import { ensureOrganisation, rootOrganisationOf } from './modules/org/org.bootstrap.ts';
import { seedDemo } from './seed/demo.ts';
import { BID_USAGE, bidCommand, CliError } from './modules/trading/bid-cli.ts';
import { recoverIntake } from './modules/trading/trading.bids.service.ts';
import { startSweep } from './modules/trading/trading.sweep.ts';
import { startReferenceRefresh } from './modules/identity/identity.references.ts';
import { startEmbeddedMaintenance } from './platform/db/maintenance.ts';
import { startRecentIndex } from './modules/portal/portal.recent-index.ts';
import { catchUpPortal, startPortalProjector } from './modules/portal/portal.projector.ts';
import { warmSegmenter } from './modules/portal/portal.text.ts';

const USAGE = `用法: ggzy <命令>
  serve [--seed-demo]                启动平台（启动时自动执行数据库迁移）
  migrate                            执行数据库迁移并装载参考数据
  seed --demo                        写入演示数据（演示机构与账号）
  user create-admin --username U --password P [--role system|security|audit] [--display-name 名称]
                                     创建管理员（默认系统管理员），首次登录须绑定动态验证码
  audit verify                       校验审计链，报告第一个断裂处
  投标文件加密（投标人本地使用，不连接平台）:
${BID_USAGE}
环境变量见 README（GGZY_PORT、GGZY_DATA_DIR、DATABASE_URL、GGZY_NODE_ROLE、GGZY_REGION 等）。`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function withDeps<T>(config: Config, fn: (deps: ReturnType<typeof makeDeps>) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await prepareDatabase(database.db);
    return await fn(makeDeps(config, database));
  } finally {
    await database.close();
  }
}

async function serve(config: Config, seed: boolean): Promise<void> {
  const started = Date.now();
  const database = await openConfiguredDatabase(config);
  const migrated = await prepareDatabase(database.db);
  const deps = makeDeps(config, database);
  await ensureOrganisation(deps, rootOrganisationOf(config.regionCode), cliAuditContext(deps.clock.now(), 'startup'));
  if (seed) await seedDemo(deps);
  // What a crash left of the bid intake (temp files, uploads in flight) goes before serving.
  const recovered = await recoverIntake(deps);
  const app = await buildApp(deps);
  if (recovered.tempFiles || recovered.uploads) app.log.warn(recovered, 'bid intake: cleared what an interrupted run left');
  const stopSweep = startSweep(deps, app.log);
  // A city keeps its reference copies of province entities and accounts fresh (identity.references.ts).
  const stopRefresh = startReferenceRefresh(deps, app.log);
  // PGlite runs no autovacuum: the node vacuums and analyzes what is due itself.
  const stopMaintenance = startEmbeddedMaintenance(database, config.embeddedMaintenanceMinutes, app.log);
  // The portal's index of the recent months' notices, built in the background (portal.recent-index.ts).
  const stopRecentIndex = startRecentIndex(database, deps.clock, app.log);
  // The portal catches up with the deal events before serving, then follows them.
  warmSegmenter();
  const caught = await catchUpPortal(deps, { timeoutMs: 5_000 });
  if (!caught.caughtUp) app.log.warn('portal projector: a long transaction holds back deal events; the portal follows once it ends');
  const projector = startPortalProjector(deps, config.portal.pollIntervalMs, (err) => app.log.error({ err }, 'portal projector failed; retrying'));
  const shutdown = async (signal: string): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await projector.stop();
    await stopSweep();
    await stopRefresh();
    await stopMaintenance();
    await stopRecentIndex();
    await app.close();
    await deps.licenceReader.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { storage: database.kind, role: config.nodeRole, region: config.regionCode, migrationsApplied: migrated.applied.length, startupMs: Date.now() - started },
    `ggzy ready at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/ (portal) and /workbench/`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  // The bidder's local commands need neither the platform's configuration nor its database.
  if (command === 'bid') {
    try {
      process.stdout.write(`${await bidCommand(sub, rest, process.env)}\n`);
    } catch (e) {
      if (e instanceof CliError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) fail(e instanceof Error ? e.message : String(e));
      throw e;
    }
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 78);
    throw e;
  }
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: argv.slice(1), options: { 'seed-demo': { type: 'boolean' } }, strict: true });
      // The demo data comes with the demo mode's compressed calendar (a deal's clock can be moved).
      const demo = values['seed-demo'] === true;
      await serve(demo ? { ...config, demoMode: true } : config, demo);
      return;
    }
    case 'migrate': {
      const database = await openConfiguredDatabase(config);
      try {
        const r = await prepareDatabase(database.db);
        process.stdout.write(r.applied.length ? `已执行迁移：\n  ${r.applied.join('\n  ')}\n` : `数据库已是最新（${r.skipped} 个迁移）\n`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'seed': {
      if (sub !== '--demo') fail('用法: ggzy seed --demo');
      const r = await withDeps(config, async (deps) => {
        await ensureOrganisation(deps, rootOrganisationOf(config.regionCode), cliAuditContext(deps.clock.now(), 'seed-demo'));
        return seedDemo(deps);
      });
      process.stdout.write(`演示数据已就绪：${r.organisations} 个机构；新建账号 ${r.accounts.length ? r.accounts.join('、') : '（无，已存在）'}\n`);
      return;
    }
    case 'user': {
      if (sub !== 'create-admin') fail(USAGE);
      const { values } = parseArgs({
        args: rest,
        options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'system' }, 'display-name': { type: 'string' } },
        strict: true,
      });
      if (!values.username || !values.password) fail('需要 --username 和 --password');
      const role = { system: 'system_admin', security: 'security_admin', audit: 'audit_admin' }[values.role ?? 'system'];
      if (!role) fail('--role 只能是 system、security 或 audit');
      const username = values.username;
      const password = values.password;
      await withDeps(config, async (deps) => {
        const audit = cliAuditContext(deps.clock.now());
        const organisationId = await ensureOrganisation(deps, rootOrganisationOf(config.regionCode), audit);
        await createAccountDirect(
          deps,
          {
            username,
            displayName: values['display-name'] ?? username,
            password,
            organisationId,
            roles: [{ code: role, scope: config.nodeRole === 'province' ? 'province' : 'region' }],
            mustChangePassword: false,
          },
          audit,
        );
      });
      process.stdout.write(`已创建管理员 ${username}（${role}）。首次登录须绑定动态验证码。\n`);
      return;
    }
    case 'audit': {
      if (sub !== 'verify') fail(USAGE);
      const r = await withDeps(config, (deps) => verifyAuditChain(deps.db));
      if (r.ok) {
        process.stdout.write(`审计链完整：共校验 ${r.checked} 条记录（至第 ${r.lastSeq} 条）\n`);
        return;
      }
      const reasons = { hash_mismatch: '记录内容被修改（哈希不符）', broken_link: '与前一条记录的链接断裂', gap: '记录缺失（序号不连续）' };
      fail(`审计链断裂：第 ${r.firstBroken!.seq} 条 — ${reasons[r.firstBroken!.reason]}；此前 ${r.checked} 条完整`, 1);
      return;
    }
    default:
      fail(USAGE, command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  fail(e instanceof Error ? `错误：${e.message}` : String(e), 1);
});
