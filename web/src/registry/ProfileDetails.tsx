// A profile read-only (staff): masked unless revealed, qualifications with their state.
import { Descriptions, Table, Tag, Typography } from 'antd';
import { labelOf } from '../format';
import type { Certificate, KeyPerson, ProfileView, Qualification } from '../types';
import { KEY_PERSON_ROLE_LABELS, QualificationStateTag, RoleTags } from './shared';

export function ProfileDetails({ profile }: { profile: ProfileView }) {
  return (
    <>
      {profile.masked ? null : <Tag color="red">明文（已审计）</Tag>}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        className="section-card"
        items={[
          { key: 'name', label: '名称', children: profile.name },
          { key: 'region', label: '注册地', children: profile.regionName || '—' },
          { key: 'roles', label: '主体角色', children: <RoleTags roles={profile.roles} /> },
          { key: 'type', label: '主体类型', children: profile.entityType ?? '—' },
          { key: 'capital', label: '注册资本', children: profile.registeredCapitalWanYuan === null ? '—' : `${profile.registeredCapitalWanYuan} 万元` },
          { key: 'est', label: '成立日期', children: profile.establishedOn ?? '—' },
          { key: 'addr', label: '住所', children: profile.address || '—', span: 2 },
          { key: 'scope', label: '经营范围', children: profile.businessScope ?? '—', span: 2 },
          {
            key: 'lr',
            label: '法定代表人',
            children: profile.legalRepresentative ? (
              <>
                {profile.legalRepresentative.name} <span className="mono">{profile.legalRepresentative.idNumber ?? ''}</span>
              </>
            ) : (
              '—'
            ),
          },
          {
            key: 'bank',
            label: '基本存款账户',
            children: profile.bankAccount ? (
              <>
                {profile.bankAccount.bankName} · {profile.bankAccount.accountName} · <span className="mono">{profile.bankAccount.number}</span>
              </>
            ) : (
              '—'
            ),
          },
          {
            key: 'contacts',
            label: '联系人',
            span: 2,
            children:
              profile.contacts.length > 0
                ? profile.contacts.map((c, i) => (
                    <div key={i}>
                      {c.name} <span className="mono">{c.phone}</span> {c.email ?? ''}
                    </div>
                  ))
                : '—',
          },
        ]}
      />
      <Typography.Title level={5}>资质</Typography.Title>
      <Table<Qualification>
        rowKey="id"
        size="small"
        pagination={false}
        className="section-card"
        dataSource={profile.qualifications}
        locale={{ emptyText: '无资质' }}
        columns={[
          { title: '类别', dataIndex: 'category' },
          { title: '等级', dataIndex: 'grade', width: 70 },
          { title: '编号', dataIndex: 'number' },
          { title: '发证机关', dataIndex: 'issuer' },
          { title: '有效期', key: 'valid', render: (_, q) => `${q.validFrom} 至 ${q.validTo}` },
          { title: '状态', dataIndex: 'state', width: 90, render: (_, q) => <QualificationStateTag state={q.state} /> },
        ]}
      />
      <Typography.Title level={5}>证书</Typography.Title>
      <Table<Certificate>
        rowKey="id"
        size="small"
        pagination={false}
        className="section-card"
        dataSource={profile.certificates}
        locale={{ emptyText: '无证书' }}
        columns={[
          { title: '类型', dataIndex: 'kind' },
          { title: '编号', dataIndex: 'number' },
          { title: '发证机关', dataIndex: 'issuer' },
          { title: '有效期至', dataIndex: 'validTo', render: (v: string | null) => v ?? '—' },
          { title: '附件', key: 'file', render: (_, c) => c.file?.name ?? '—' },
        ]}
      />
      <Typography.Title level={5}>主要人员</Typography.Title>
      <Table<KeyPerson>
        rowKey="id"
        size="small"
        pagination={false}
        className="section-card"
        dataSource={profile.keyPersonnel}
        locale={{ emptyText: '无主要人员' }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '岗位', dataIndex: 'role', render: (r: string) => labelOf(KEY_PERSON_ROLE_LABELS, r) },
          { title: '身份证号', dataIndex: 'idNumber', render: (v: string) => <span className="mono">{v}</span> },
          { title: '执业证书', key: 'cert', render: (_, k) => `${k.certificateKind} ${k.certificateNumber}` },
          { title: '有效期至', dataIndex: 'certificateValidTo', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}
