// Sign-in: password, then by the session stage a TOTP code, a TOTP enrolment or a forced
// password change, then the workbench.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Spin, Steps, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { MfaEnrollStep, MfaVerifyStep } from '../components/MfaSteps';
import { PasswordChangeStep } from '../components/PasswordChangeStep';
import { PasswordStep } from '../components/PasswordStep';
import type { Stage } from '../types';
import '../login.css';

type Step = 'password' | Exclude<Stage, 'active'>;

const STEP_INDEX: Record<Step, number> = { password: 0, mfa: 1, mfa_enroll: 1, password_change: 2 };

const STEP_TITLES: Record<Step, string> = {
  password: '用户登录',
  mfa: '双因素认证',
  mfa_enroll: '绑定身份验证器',
  password_change: '修改密码',
};

export default function LoginPage() {
  const { me, loading, notice, clearNotice, refresh, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const routeState = location.state as { from?: string; registered?: { username: string; entityName: string } } | null;
  const from = routeState?.from;
  const registered = routeState?.registered;
  const [step, setStep] = useState<Step>('password');
  // An account without a second factor goes straight from the password to the change step.
  const [sawMfa, setSawMfa] = useState(false);
  useEffect(() => {
    if (step === 'mfa' || step === 'mfa_enroll') setSawMfa(true);
    else if (step === 'password') setSawMfa(false);
  }, [step]);
  const skippedMfa = step === 'password_change' && !sawMfa;
  const [username, setUsername] = useState('');
  const [entering, setEntering] = useState(false);

  const enter = useCallback(() => {
    const target = from && !from.startsWith('/login') ? from : '/';
    void navigate(target, { replace: true });
  }, [from, navigate]);

  // Resume a session that is part-way through the stages (e.g. after a reload).
  useEffect(() => {
    if (loading || !me) return;
    if (me.stage === 'active') enter();
    else {
      setStep(me.stage);
      setUsername(me.username);
    }
  }, [loading, me, enter]);

  const onStage = useCallback(
    (stage: Stage) => {
      clearNotice();
      if (stage !== 'active') {
        setStep(stage);
        return;
      }
      setEntering(true);
      void refresh().then((answer) => {
        setEntering(false);
        if (answer?.stage !== 'active') setStep('password');
      });
    },
    [clearNotice, refresh],
  );

  const [sessionNotice, setSessionNotice] = useState<string | null>(null);
  const onSessionError = useCallback((error: unknown): boolean => {
    if (!(error instanceof ApiError)) return false;
    if (error.code === 'session_stage' && error.stage && error.stage !== 'active') {
      setStep(error.stage);
      return true;
    }
    if (error.status === 401 && error.code !== 'invalid_credentials' && error.code !== 'invalid_totp') {
      setSessionNotice(error.detail);
      setStep('password');
      return true;
    }
    return false;
  }, []);

  const restart = async () => {
    await logout();
    setSessionNotice(null);
    setStep('password');
  };

  const banner = sessionNotice ?? notice;

  return (
    <div className="login-page">
      <section className="login-hero" aria-hidden="true">
        <div className="login-hero-inner">
          <div className="login-hero-emblem">公</div>
          <h1>公共资源交易一体化平台</h1>
          <p>统一规范 · 公开透明 · 全程留痕 · 服务高效</p>
          <ul>
            <li>交易全流程电子化</li>
            <li>一码贯通、来源可溯、去向可查</li>
            <li>等保三级 · 国密算法保护</li>
          </ul>
        </div>
      </section>
      <main className="login-panel">
        <Card className="login-card" variant="borderless">
          <Typography.Title level={3} className="login-heading">
            工作台登录
          </Typography.Title>
          <Steps
            size="small"
            className="login-steps"
            current={skippedMfa ? 1 : STEP_INDEX[step]}
            items={skippedMfa ? [{ title: '账号密码' }, { title: '修改密码' }] : [{ title: '账号密码' }, { title: '双因素认证' }, { title: '修改密码' }]}
          />
          <Typography.Title level={5} className="login-step-title">
            {STEP_TITLES[step]}
          </Typography.Title>
          {registered && step === 'password' && !banner ? (
            <Alert
              type="success"
              showIcon
              className="login-alert"
              title="注册成功"
              description={`${registered.entityName} 已注册，请使用用户名 ${registered.username} 登录，完善主体信息并提交审核。`}
            />
          ) : null}
          {banner && step === 'password' ? (
            <Alert type="warning" showIcon className="login-alert" title={banner} />
          ) : null}
          {loading || entering ? (
            <div className="step-loading">
              <Spin description={entering ? '正在进入工作台…' : '正在检查登录状态…'} />
            </div>
          ) : (
            <>
              {step === 'password' ? (
                <PasswordStep
                  onStage={(stage, name) => {
                    setSessionNotice(null);
                    setUsername(name);
                    onStage(stage);
                  }}
                />
              ) : null}
              {step === 'mfa' ? <MfaVerifyStep onStage={onStage} onSessionError={onSessionError} /> : null}
              {step === 'mfa_enroll' ? <MfaEnrollStep onStage={onStage} onSessionError={onSessionError} /> : null}
              {step === 'password_change' ? (
                <PasswordChangeStep onStage={onStage} onSessionError={onSessionError} username={username} />
              ) : null}
              {step !== 'password' ? (
                <Button type="link" className="login-restart" onClick={() => void restart()}>
                  使用其他账号登录
                </Button>
              ) : (
                <div className="login-links">
                  <Typography.Text type="secondary">投标人、供应商等市场主体首次使用？</Typography.Text>
                  <Link to="/register">市场主体注册</Link>
                </div>
              )}
            </>
          )}
        </Card>
        <Typography.Text type="secondary" className="login-footnote">
          为保障账号安全，连续 5 次验证失败将锁定账号 15 分钟；会话空闲 30 分钟后自动退出。
        </Typography.Text>
      </main>
    </div>
  );
}
