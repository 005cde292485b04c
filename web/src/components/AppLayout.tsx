import { useMemo, useState } from 'react';
import { App, Button, Layout, Menu, Space, Tooltip, Typography, type MenuProps } from 'antd';
import { BankOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { SCREENS } from '../screens';

const { Header, Sider, Content, Footer } = Layout;

type MenuItem = Required<MenuProps>['items'][number];

export function AppLayout() {
  const me = useMe();
  const { can, logout } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);

  const items = useMemo<MenuItem[]>(() => {
    const visible = SCREENS.filter((s) => !s.permission || can(s.permission));
    const result: MenuItem[] = [];
    const groups = new Map<string, MenuItem[]>();
    for (const screen of visible) {
      const item: MenuItem = { key: screen.path, icon: screen.icon, label: screen.label };
      if (!screen.group) {
        result.push(item);
        continue;
      }
      let group = groups.get(screen.group);
      if (!group) {
        group = [];
        groups.set(screen.group, group);
        result.push({ type: 'group', key: `group:${screen.group}`, label: screen.group, children: group });
      }
      group.push(item);
    }
    return result;
  }, [can]);

  const selected =
    SCREENS.filter((s) => s.path !== '/' && location.pathname.startsWith(s.path)).map((s) => s.path)[0] ?? '/';

  const onLogout = async () => {
    setLeaving(true);
    // Notices of this user's work do not follow onto the next user's login page.
    message.destroy();
    await logout();
    void navigate('/login', { replace: true });
  };

  return (
    <Layout className="app-shell">
      <Header className="app-header">
        <Link to="/" className="app-brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" className="app-logo" />
          <span className="app-title">公共资源交易一体化平台</span>
          <span className="app-subtitle">工作台</span>
        </Link>
        <Space size="middle" className="app-user">
          <Tooltip title={(me.organisation ?? me.entity)?.regionName}>
            <span className="app-user-org">
              <BankOutlined /> {(me.organisation ?? me.entity)?.name ?? '—'}
            </span>
          </Tooltip>
          <span className="app-user-name">
            <UserOutlined /> {me.displayName}
          </span>
          <Button
            size="small"
            ghost
            icon={<LogoutOutlined />}
            loading={leaving}
            onClick={() => void onLogout()}
          >
            退出登录
          </Button>
        </Space>
      </Header>
      <Layout>
        <Sider
          width={208}
          theme="light"
          breakpoint="lg"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          className="app-sider"
        >
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={items}
            onClick={({ key }) => void navigate(key)}
            aria-label="功能菜单"
          />
        </Sider>
        <Layout className="app-main">
          <Content className="app-content">
            <Outlet />
          </Content>
          <Footer className="app-footer">
            <Typography.Text type="secondary">公共资源交易一体化平台 · 工作台</Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
