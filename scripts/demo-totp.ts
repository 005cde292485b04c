// Prints the current TOTP code of the demo accounts (their shared secret is public: demo only).
import { generate } from 'otplib';
import { DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

const code = await generate({ secret: DEMO_TOTP_SECRET });
const left = 30 - (Math.floor(Date.now() / 1000) % 30);
process.stdout.write(`演示账号动态验证码：${code}（${left} 秒内有效）\n`);
