import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { makeTicket, session } from '../../test/fixtures';
import { fakeServices, renderWith } from '../../test/render';
import { DutyBoard } from './DutyBoard';

const manager = { ...session, user: { ...session.user, id: 'm1', roles: ['duty_manager'] } };
const users = [
  {
    id: 'u1',
    username: 'lina',
    displayName: 'Li Na',
    roles: ['agent'],
    groupIds: ['l1'],
    disabled: false,
  },
  {
    id: 'u5',
    username: 'liuyang',
    displayName: 'Liu Yang',
    roles: ['engineer'],
    groupIds: ['l2-network'],
    disabled: false,
  },
];
const groups = [
  { id: 'l1', name: 'L1 Service Desk', nameZh: '一线服务台', tier: 1 },
  { id: 'l2-network', name: 'L2 Network', nameZh: '二线网络组', tier: 2 },
];

function setup() {
  const services = fakeServices();
  const store = services.store.getState();
  store.signIn(manager);
  store.setDirectory({ users, groups });
  store.loadSnapshot({
    seq: 3,
    tickets: [
      makeTicket({ id: 't1', title: 'VPN down', version: 4, groupId: 'l1', assigneeId: 'u1' }),
      makeTicket({ id: 't2', title: 'Printer jam', version: 2, groupId: 'l1', assigneeId: null }),
    ],
  });
  return services;
}

/** A DataTransfer stand-in: jsdom has none. */
function dataTransfer() {
  const data = new Map<string, string>();
  return {
    setData: (type: string, value: string) => data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    get types() {
      return [...data.keys()];
    },
    dropEffect: 'none',
    effectAllowed: 'all',
  };
}

describe('<DutyBoard>', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('shows the load per person and group', () => {
    renderWith(<DutyBoard />, setup());
    expect(screen.getByText('2 open · 1 unassigned')).toBeTruthy();
    const person = screen.getByLabelText('Li Na');
    expect(within(person).getByText('1 open')).toBeTruthy();
  });

  it('reassigns by drag and drop with a reason and the version seen at drag time', async () => {
    const user = userEvent.setup();
    const services = setup();
    renderWith(<DutyBoard />, services);
    const row = screen.getByRole('option', { name: /VPN down/ });
    const transfer = dataTransfer();
    fireEvent.dragStart(row, { dataTransfer: transfer });
    const target = screen.getByLabelText('Liu Yang');
    fireEvent.dragOver(target, { dataTransfer: transfer });
    fireEvent.drop(target, { dataTransfer: transfer });
    const dialog = screen.getByRole('dialog', { name: /Reassign INC-0000t1/ });
    await user.type(within(dialog).getByLabelText(/Reason/), 'Network fault, hand to L2');
    await user.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    expect(services.bridge.sendCommand).toHaveBeenCalledWith({
      type: 'ticket.assign',
      ticketId: 't1',
      expectedVersion: 4,
      assigneeId: 'u5',
      groupId: 'l2-network',
      reason: 'Network fault, hand to L2',
    });
  });

  it('reassigns from the keyboard: select, r, choose a group, give a reason', async () => {
    const user = userEvent.setup();
    const services = setup();
    renderWith(<DutyBoard />, services);
    screen.getByRole('listbox').focus();
    await user.keyboard('j');
    await user.keyboard('j');
    await user.keyboard('r');
    const dialog = screen.getByRole('dialog');
    await user.selectOptions(within(dialog).getByLabelText('To'), 'group:l2-network');
    await user.type(within(dialog).getByLabelText(/Reason/), 'Needs L2');
    await user.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    expect(services.bridge.sendCommand).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'ticket.assign', groupId: 'l2-network', reason: 'Needs L2' }),
    );
  });

  it('shows who is on duty now by the roster, most senior duty first, with covers', async () => {
    const services = setup();
    services.api.listOnDuty = vi.fn(() =>
      Promise.resolve([
        { userId: 'u1', displayName: 'Li Na', duty: 'desk_agent', coverFor: null },
        { userId: 'm1', displayName: 'Sun Li', duty: 'duty_manager', coverFor: 'u5' },
      ]),
    );
    renderWith(<DutyBoard />, services);
    const panel = screen.getByTestId('on-duty');
    await within(panel).findByText('Sun Li');
    expect(services.api.listOnDuty).toHaveBeenCalledWith('tok-1');
    const rows = Array.from(panel.querySelectorAll('.on-duty__row')).map((r) => r.textContent);
    expect(rows).toEqual(['Duty managerSun Li (covering for Liu Yang)', 'Desk agentLi Na']);
  });

  it('says so when nobody is on the roster', async () => {
    renderWith(<DutyBoard />, setup());
    expect(await screen.findByText('Nobody on the roster now.')).toBeTruthy();
  });
});
