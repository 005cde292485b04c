import { Card, Col, Descriptions, Empty, Row, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { SCOPE_LABELS, formatDateTime, labelOf } from '../format';
import { SCREENS } from '../screens';
import type { MeRole } from '../types';

const SCOPE_HINTS: Record<string, string> = {
  own: '仅本人创建的记录',
  organisation: '本机构及下级机构的记录',
  region: '本机构所在行政区划及下辖区域的记录',
  province: '全省范围的记录',
};

function greeting(): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()),
  );
  if (hour < 6) return '夜深了';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

export default function HomePage() {
  const me = useMe();
  const { can } = useAuth();
  const shortcuts = SCREENS.filter((s) => s.permission && can(s.permission));

  return (
    <Space orientation="vertical" size="large" className="full-width">
      <Card className="welcome-card">
        <Typography.Title level={4} className="welcome-title">
          {greeting()}，{me.displayName}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          欢迎使用公共资源交易一体化平台工作台。您可通过左侧菜单进入有权限的功能。
        </Typography.Paragraph>
        {me.entity ? (
          <Typography.Paragraph>
            您是市场主体「{me.entity.name}」的用户：请在 <Link to="/registry/mine">本主体信息</Link> 中完善主体信息、上传营业执照并提交审核，审核通过后即可参与全省的交易。
            {can('credit.self.read') ? (
              <>
                {' '}
                本主体的信用记录、禁止参与情况和信用分可在 <Link to="/credit/mine">本主体信用</Link> 中查看，并可自行提出异议或申请信用修复。
              </>
            ) : null}
          </Typography.Paragraph>
        ) : null}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'username', label: '用户名', children: me.username },
            me.entity
              ? { key: 'org', label: '所属主体', children: me.entity.name }
              : { key: 'org', label: '所属机构', children: me.organisation?.name ?? '—' },
            { key: 'region', label: me.entity ? '注册地' : '行政区划', children: (me.organisation ?? me.entity)?.regionName ?? '—' },
            {
              key: 'mfa',
              label: '双因素认证',
              children: me.mfaEnabled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>,
            },
            { key: 'pwd', label: '密码有效期至', children: formatDateTime(me.passwordExpiresAt) },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title="我的角色与数据范围">
            <Table<MeRole>
              rowKey={(r) => `${r.id}:${r.scope}`}
              size="small"
              pagination={false}
              dataSource={me.roles}
              locale={{ emptyText: <Empty description="尚未分配角色，请联系安全管理员" /> }}
              columns={[
                { title: '角色', dataIndex: 'name', render: (name: string, r) => <span title={r.code}>{name}</span> },
                {
                  title: '数据范围',
                  dataIndex: 'scope',
                  render: (scope: string) => <Tag color="blue">{labelOf(SCOPE_LABELS, scope)}</Tag>,
                },
                { title: '说明', dataIndex: 'scope', key: 'hint', render: (scope: string) => SCOPE_HINTS[scope] ?? '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="常用功能">
            {shortcuts.length === 0 ? (
              <Empty description="暂无可用功能" />
            ) : (
              <div className="shortcut-grid">
                {shortcuts.map((s) => (
                  <Link key={s.path} to={s.path} className="shortcut">
                    <span className="shortcut-icon">{s.icon}</span>
                    <span>{s.label}</span>
                  </Link>
                ))}
              </div>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
