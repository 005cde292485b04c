// The workbench screens, their menu entries and the permission that opens each of them.
import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  CarryOutOutlined,
  ReconciliationOutlined,
  TrophyOutlined,
  BranchesOutlined,
  FileDoneOutlined,
  FileProtectOutlined,
  NotificationOutlined,
  ProjectOutlined,
  AuditOutlined,
  ExceptionOutlined,
  FileSearchOutlined,
  IdcardOutlined,
  MedicineBoxOutlined,
  ProfileOutlined,
  CheckSquareOutlined,
  DatabaseOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
  KeyOutlined,
  SendOutlined,
  FundProjectionScreenOutlined,
} from '@ant-design/icons';

export interface Screen {
  path: string;
  label: string;
  icon: ReactNode;
  /** Permission needed to see the screen; none for the home page. */
  permission?: string;
  group?: string;
}

export const SCREENS: Screen[] = [
  { path: '/', label: '工作台首页', icon: <HomeOutlined /> },
  { path: '/admin/organisations', label: '组织机构', icon: <ApartmentOutlined />, permission: 'org.organisation.read', group: '系统管理' },
  { path: '/admin/personnel', label: '人员信息', icon: <TeamOutlined />, permission: 'org.personnel.read', group: '系统管理' },
  { path: '/admin/roles', label: '角色权限', icon: <SafetyCertificateOutlined />, permission: 'org.role.read', group: '系统管理' },
  { path: '/admin/accounts', label: '用户账号', icon: <UserOutlined />, permission: 'identity.account.read', group: '系统管理' },
  { path: '/experts', label: '评标专家库', icon: <SolutionOutlined />, permission: 'experts.expert.read', group: '专家管理' },
  { path: '/evaluation/mine', label: '我的评标', icon: <ReconciliationOutlined />, permission: 'evaluation.score.submit', group: '评标' },
  { path: '/credit/records', label: '信用记录', icon: <ExceptionOutlined />, permission: 'credit.record.read', group: '信用管理' },
  { path: '/credit/archive', label: '信用档案', icon: <IdcardOutlined />, permission: 'credit.record.read', group: '信用管理' },
  { path: '/credit/objections', label: '异议处理', icon: <FileSearchOutlined />, permission: 'credit.objection.decide', group: '信用管理' },
  { path: '/credit/repairs', label: '信用修复', icon: <MedicineBoxOutlined />, permission: 'credit.repair.decide', group: '信用管理' },
  { path: '/registry/mine', label: '本主体信息', icon: <IdcardOutlined />, permission: 'registry.self.manage', group: '市场主体' },
  { path: '/credit/mine', label: '本主体信用', icon: <ProfileOutlined />, permission: 'credit.self.read', group: '市场主体' },
  // '/bidding/keys' before '/bidding': the menu highlights the first path the location starts with.
  { path: '/bidding/keys', label: '密封密钥', icon: <KeyOutlined />, permission: 'trading.bid.submit', group: '电子投标' },
  { path: '/bidding', label: '我的投标', icon: <SendOutlined />, permission: 'trading.bid.submit', group: '电子投标' },
  { path: '/opening', label: '开标监控', icon: <FundProjectionScreenOutlined />, permission: 'trading.opening.conduct', group: '开标' },
  { path: '/registry/reviews', label: '主体审核', icon: <CheckSquareOutlined />, permission: 'registry.entity.review', group: '市场主体' },
  { path: '/registry/entities', label: '市场主体库', icon: <DatabaseOutlined />, permission: 'registry.entity.read', group: '市场主体' },
  { path: '/trading/projects', label: '招标项目', icon: <ProjectOutlined />, permission: 'trading.tender.manage', group: '电子交易' },
  { path: '/trading/notices', label: '招标公告', icon: <NotificationOutlined />, permission: 'trading.bid.submit', group: '电子交易' },
  { path: '/trading/acceptance', label: '项目受理', icon: <FileDoneOutlined />, permission: 'trading.project.accept', group: '电子交易' },
  { path: '/trading/notice-reviews', label: '公告审核', icon: <FileProtectOutlined />, permission: 'trading.project.accept', group: '电子交易' },
  { path: '/trading/deals', label: '交易项目', icon: <BranchesOutlined />, permission: 'trading.deal.read', group: '电子交易' },
  { path: '/trading/evaluations', label: '评标组织', icon: <CarryOutOutlined />, permission: 'trading.evaluation.manage', group: '电子交易' },
  { path: '/trading/results', label: '评标结果与定标', icon: <TrophyOutlined />, permission: 'trading.tender.manage', group: '电子交易' },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit.log.read', group: '安全审计' },
];
