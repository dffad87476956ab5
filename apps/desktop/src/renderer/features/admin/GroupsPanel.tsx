import { useState } from 'react';
import type { FormEvent } from 'react';
import { useT } from '../../i18n/i18n';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import { AdminField, FormError, refusedFields, useAdminToken } from './adminUi';
import { useDirectoryLists } from './UsersPanel';

const GROUP_FIELDS = ['id', 'name', 'nameZh', 'tier'];

/** Groups: the list with their members' count, and a new group (admin). */
export function GroupsPanel() {
  const t = useT();
  const api = useAdminApi();
  const token = useAdminToken();
  const { users, groups, failed, reload } = useDirectoryLists();
  const [draft, setDraft] = useState({ id: '', name: '', nameZh: '', tier: '1' });
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [notice, setNotice] = useState('');
  const fields = refusedFields(outcome);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await api.request(token, 'POST', '/groups', {
      id: draft.id.trim(),
      name: draft.name,
      nameZh: draft.nameZh,
      tier: Number(draft.tier),
    });
    setOutcome(result);
    if (result.ok) {
      setNotice(t('admin.groups.created', { name: draft.name }));
      setDraft({ id: '', name: '', nameZh: '', tier: '1' });
      reload();
    }
  };
  const field = (key: 'id' | 'name' | 'nameZh' | 'tier', label: string, type = 'text') => (
    <AdminField label={label} path={key} fields={fields}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={draft[key]}
          onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
          {...(type === 'number' ? { min: 1, max: 9 } : {})}
        />
      )}
    </AdminField>
  );

  return (
    <section className="admin-section" aria-labelledby="admin-groups-title">
      <div className="admin-section__head">
        <h2 id="admin-groups-title">{t('admin.groups.title')}</h2>
      </div>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      <FormError outcome={failed} />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.groups.id')}</th>
            <th scope="col">{t('admin.groups.name')}</th>
            <th scope="col">{t('admin.groups.nameZh')}</th>
            <th scope="col">{t('admin.groups.tier')}</th>
            <th scope="col">{t('admin.groups.members')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id}>
              <td>
                <code>{g.id}</code>
              </td>
              <td>{g.name}</td>
              <td>{g.nameZh ?? ''}</td>
              <td>{g.tier ?? ''}</td>
              <td>{users?.filter((u) => u.groupIds.includes(g.id)).length ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin-form admin-form--inline" onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t('admin.groups.create')}</h3>
        <FormError outcome={outcome} shown={GROUP_FIELDS} />
        <div className="field-row">
          {field('id', t('admin.groups.id'))}
          {field('name', t('admin.groups.name'))}
          {field('nameZh', t('admin.groups.nameZh'))}
          {field('tier', t('admin.groups.tier'), 'number')}
          <button type="submit" className="button button--primary">
            {t('admin.groups.createSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}
